// `npm run snapshot`: writes the schema of the running `npm run dev` database to the snapshot
// file, with Directus's own `schema snapshot`, so that the file diffs clean against it.
import { join } from 'node:path';
import { DATA_DIR, DEFAULT_ADMIN, localSecrets, POSTGRES_PORT, say } from './lib/dev-settings.ts';
import { directusEnv, REPO_ROOT } from './lib/directus-env.ts';
import { runDirectusCommand } from './lib/directus-process.ts';

const target = process.argv[2] ?? join(REPO_ROOT, 'snapshots', 'schema.yaml');
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
});

const result = await runDirectusCommand(['schema', 'snapshot', '--yes', target], {
  env,
  cwd: REPO_ROOT,
  onLine: (line) => console.log(line),
});
if (result.code === 0) {
  say(`snapshot written to ${target}`);
} else {
  say(
    `schema snapshot failed (${result.code}): it reads the database of a running ` +
      '`npm run dev`, with the same DEV_DATA_DIR and DEV_POSTGRES_PORT',
  );
}
process.exitCode = result.code;
