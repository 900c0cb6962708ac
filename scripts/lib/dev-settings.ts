import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './directus-env.ts';
import { folderClosedToOthers } from './postgres-server.ts';

export const DATA_DIR = process.env['DEV_DATA_DIR'] ?? defaultDataDir();

/**
 * `.dev/` in the repository, unless we run as root in a repository under a folder the
 * `postgres` user cannot enter (a clone in /root): then a folder of /var/tmp named after the
 * repository's path, so that `npm run dev` works there too and keeps its data between runs.
 */
function defaultDataDir(): string {
  const inRepository = join(REPO_ROOT, '.dev', 'data');
  if (process.getuid?.() !== 0 || folderClosedToOthers(inRepository) === undefined) {
    return join(REPO_ROOT, '.dev');
  }

  const id = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 8);

  return join('/var/tmp', `directus-db-boot-dev-${id}`);
}
export const POSTGRES_PORT = Number(process.env['DEV_POSTGRES_PORT'] ?? 54329);
export const DEFAULT_ADMIN = { email: 'admin@example.com', password: 'directus-dev' };

export const say = (line: string) => console.log(`[dev] ${line}`);

/** Generated once per data folder and kept there, so sessions survive a restart. */
export function localSecrets(): { postgresPassword: string; secret: string } {
  const path = join(DATA_DIR, 'secrets.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));

  const secrets = {
    postgresPassword: randomBytes(18).toString('base64url'),
    secret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(path, JSON.stringify(secrets), { mode: 0o600 });

  return secrets;
}
