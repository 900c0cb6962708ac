import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directusEnv, REPO_ROOT } from './directus-env.ts';
import { runDirectusCommand } from './directus-process.ts';
import { freePort } from './free-port.ts';
import { startPostgres, type PostgresServer } from './postgres-server.ts';

export const BENCH_ADMIN = { email: 'admin@example.com', password: 'bench-password' };

/** Where a benchmark's Directus runs: its own PostgreSQL, database and working folder. */
export interface BenchInstance {
  /** The working folder Directus starts in. */
  cwd: string;
  scratch: string;
  base: string;
  postgres: PostgresServer;
  /** Directus's environment here, with the repository's db-init/ and snapshot by default. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Stops PostgreSQL and deletes the scratch folder. */
  dispose(): Promise<void>;
}

/**
 * A scratch PostgreSQL with a `bench` database that Directus's bootstrap has installed. The
 * caller disposes of it in `finally`, so that a failed run leaves no server behind.
 */
export async function startBenchInstance(name: string): Promise<BenchInstance> {
  const scratch = mkdtempSync(join(tmpdir(), `${name}-`));
  // As root, PostgreSQL runs as the postgres user, which must enter this folder.
  chmodSync(scratch, 0o755);
  const cwd = join(scratch, 'instance');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'package.json'), '{ "name": "bench-instance", "private": true }\n');
  const port = Number(process.env['BENCH_PORT'] ?? (await freePort()));
  const secret = randomBytes(24).toString('hex');

  const postgres = await startPostgres({
    dataDir: join(scratch, 'postgres'),
    port: await freePort(),
    password: randomBytes(12).toString('hex'),
  });
  const instance: BenchInstance = {
    cwd,
    scratch,
    base: `http://127.0.0.1:${port}`,
    postgres,
    env: (extra = {}) =>
      directusEnv({
        postgres,
        database: 'bench',
        host: '127.0.0.1',
        port,
        secret,
        admin: BENCH_ADMIN,
        uploadsDir: join(scratch, 'uploads'),
        extra: {
          BOOT_MIGRATIONS_PATH: join(REPO_ROOT, 'db-init'),
          BOOT_SNAPSHOT_PATH: join(REPO_ROOT, 'snapshots', 'schema.yaml'),
          ...extra,
        },
      }),
    async dispose() {
      await postgres.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };

  try {
    await postgres.createDatabase('bench');
    const bootstrap = await runDirectusCommand(['bootstrap'], { env: instance.env(), cwd });
    if (bootstrap.code !== 0) throw new Error(`bootstrap failed:\n${bootstrap.output}`);
  } catch (error) {
    await instance.dispose();
    throw error;
  }

  return instance;
}
