// Runs Directus's CLI against the database of a running `npm run dev` (same DEV_DATA_DIR and
// DEV_POSTGRES_PORT): `npm run snapshot` writes the snapshot file with Directus's own
// `schema snapshot`, so that it diffs clean; `npm run db-boot -- status` and the other
// db-boot commands show and adopt the migration history. BOOT_* and LOG_* variables are passed
// on (LOG_LEVEL=warn keeps Directus's start-up lines out of `status --json`).
import { join } from 'node:path';
import { DATA_DIR, DEFAULT_ADMIN, localSecrets, POSTGRES_PORT, say } from './lib/dev-settings.ts';
import { directusEnv, REPO_ROOT } from './lib/directus-env.ts';
import { runDirectusCommand } from './lib/directus-process.ts';

const args = process.argv.slice(2);
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
// `db-boot status` exits 1 to say "not in sync"; every other non-zero code is a failure.
if (result.code !== 0 && !(args[0] === 'db-boot' && result.code === 1)) {
  say(
    `directus ${args.join(' ')} failed (${result.code}): it needs a running \`npm run dev\`, ` +
      'with the same DEV_DATA_DIR and DEV_POSTGRES_PORT',
  );
}
process.exitCode = result.code;
