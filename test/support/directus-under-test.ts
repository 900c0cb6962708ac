import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createRequire } from 'node:module';
import {
  DIRECTUS_CLI,
  runDirectusCommand,
  spawnServer,
  startDirectus,
  type DirectusProcess,
} from '../../scripts/lib/directus-process.ts';
import { signIn, type AdminSession } from '../../scripts/lib/admin-session.ts';
import { REPO_ROOT } from '../../scripts/lib/directus-env.ts';
import { sleep } from '../../scripts/lib/process-registry.ts';
import { prepareInstanceFolder, TEST_ADMIN, testEnv } from './directus-env-for-tests';
import { freePort } from './test-postgres';

const started: DirectusProcess[] = [];

/** Stops every Directus a test started, by PID; call it in afterEach. */
export async function stopAllDirectus(): Promise<void> {
  await Promise.all(started.splice(0).map((directus) => directus.stop()));
}

export async function query(database: string, sql: string): Promise<Record<string, unknown>[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...inject('postgres'), database });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A new database: empty, or a clone of the bootstrapped template (Directus installed). */
export async function createDatabase(kind: 'empty' | 'bootstrapped'): Promise<string> {
  const name = `t_${randomBytes(5).toString('hex')}`;
  const template = kind === 'bootstrapped' ? ` TEMPLATE ${inject('templateDatabase')}` : '';
  await query('postgres', `CREATE DATABASE ${name}${template}`);

  return name;
}

export interface BootOptions {
  database: string;
  /** BOOT_* and other settings for this run. */
  env?: Record<string, string>;
  /** Run Directus's bootstrap first, as the product does on every start. */
  bootstrap?: boolean;
  /** Start it the way the image does: pm2-runtime with upstream's ecosystem settings. */
  underPm2?: boolean;
}

export interface Boot {
  directus: DirectusProcess;
  port: number;
  env: Record<string, string>;
}

/** The working folder and environment of one Directus instance on a test database. */
function instanceEnv(database: string, port: number, extra: Record<string, string> = {}) {
  const scratchDir = prepareInstanceFolder(join(inject('scratchDir'), database));
  const env = testEnv({ postgres: inject('postgres'), database, port, scratchDir, extra });

  return { env, scratchDir };
}

/** Starts `directus start` on a free port, as the product does after bootstrap. */
export async function boot(options: BootOptions): Promise<Boot> {
  const port = await freePort();
  const { env, scratchDir } = instanceEnv(options.database, port, options.env);

  if (options.bootstrap) {
    const result = await runDirectusCommand(['bootstrap'], { env, cwd: scratchDir });
    if (result.code !== 0) throw new Error(`bootstrap failed:\n${result.output}`);
  }

  const directus = options.underPm2
    ? spawnServer([PM2_RUNTIME, 'start', ECOSYSTEM], {
        env: { ...env, DIRECTUS_CLI, PM2_HOME: join(scratchDir, 'pm2') },
        cwd: scratchDir,
      })
    : startDirectus({ env, cwd: scratchDir });
  started.push(directus);

  return { directus, port, env };
}

const PM2_RUNTIME = createRequire(import.meta.url).resolve('pm2/bin/pm2-runtime');
const ECOSYSTEM = join(REPO_ROOT, 'test', 'support', 'ecosystem.config.cjs');

/** Runs a Directus CLI command (ours included) against a test database, to its end. */
export async function cli(database: string, args: string[], extra: Record<string, string> = {}) {
  const { env, scratchDir } = instanceEnv(database, 0, extra);

  return runDirectusCommand(args, { env, cwd: scratchDir });
}

/**
 * Polls the port until the process ends and tells whether anything ever answered on it: a
 * failed boot must never open the port, not even for a moment.
 */
export async function portEverOpened(port: number, exited: Promise<number>): Promise<boolean> {
  let done = false;
  void exited.then(() => (done = true));
  let opened = false;

  while (!done) {
    const answered = await fetch(`http://127.0.0.1:${port}/server/ping`, {
      signal: AbortSignal.timeout(1000),
    }).then(
      () => true,
      () => false,
    );
    opened ||= answered;
    await sleep(50);
  }

  return opened;
}

/** A signed-in admin's REST client for one running Directus. */
export async function adminClient(port: number): Promise<AdminSession['request']> {
  const session = await signIn(`http://127.0.0.1:${port}`, TEST_ADMIN);

  return (method, path, body) => session.request(method, path, body);
}
