import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './directus-env.ts';

export const DATA_DIR = process.env['DEV_DATA_DIR'] ?? join(REPO_ROOT, '.dev');
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
