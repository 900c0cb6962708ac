// Runs Directus's CLI against the database of a running `npm run dev` (same DEV_DATA_DIR and
// DEV_POSTGRES_PORT): `npm run snapshot` writes the snapshot file with Directus's own
// `schema snapshot`, so that it diffs clean; `npm run db-boot -- status` and the other
// db-boot commands show and adopt the migration history. BOOT_* and LOG_* variables are passed
// on (LOG_LEVEL=warn keeps Directus's start-up lines out of `status --json`).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, DEFAULT_ADMIN, localSecrets, POSTGRES_PORT, say } from './lib/dev-settings.ts';
import { directusEnv, REPO_ROOT } from './lib/directus-env.ts';
import { runDirectusCommand } from './lib/directus-process.ts';

const args = process.argv.slice(2);
// The dev database's password is in its data folder; without the folder there is no database.
if (!existsSync(DATA_DIR)) {
  say(`no dev database in ${DATA_DIR}: start \`npm run dev\` first (same DEV_DATA_DIR)`);
  process.exit(2);
}
const { postgresPassword, secret } = localSecrets();
const env = directusEnv({
  postgres: {
    host: '127.0.0.1',
    port: POSTGRES_PORT,
    user: 'postgres',
    password: postgresPassword,
  },
  database: 'directus',
  host: '127.0.0.1',
  port: 0,
  secret,
  admin: DEFAULT_ADMIN,
  uploadsDir: join(DATA_DIR, 'uploads'),
  extra: Object.fromEntries(
    Object.entries(process.env).filter(([name]) => /^(BOOT_|LOG_)/.test(name)) as [
      string,
      string,
    ][],
  ),
});

const result = await runDirectusCommand(args, {
  env,
  cwd: REPO_ROOT,
  onLine: (line) => console.log(line),
});
// Directus's CLI dies with a bare stack when nothing listens on the dev database's port; the
// command's own failures (exit 2, "not in sync" 1) say what went wrong themselves.
if (result.code !== 0 && /ECONNREFUSED/.test(result.output)) {
  say(
    `directus ${args.join(' ')} could not reach PostgreSQL on port ${POSTGRES_PORT}: ` +
      'it needs a running `npm run dev`, with the same DEV_DATA_DIR and DEV_POSTGRES_PORT',
  );
}
process.exitCode = result.code;
