import yaml from 'js-yaml';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/lib/directus-env.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { startHostPostgres, type HostPostgres } from './support/host-postgres.ts';
import {
  BASE_IMAGE,
  IMAGE,
  podman,
  podmanOk,
  removeAllContainers,
  RUN_LABEL,
  runContainer,
  waitFor,
  waitForExit,
  waitUntilServing,
  type Container,
} from './support/podman.ts';

/**
 * The bound on a failed boot, from PostgreSQL's death to the container's exit: the hook exits
 * once pm2's listen timeout (3 s from the start) has passed, long gone by then, and
 * pm2-runtime notices that no app is online within about 10 s. Seen here: 10 to 12 s.
 */
const FAILED_BOOT_EXIT_BOUND_MS = 30_000;

/** What the issue asks of `podman stop`: SIGTERM reaches pm2-runtime, no kill timeout. */
const STOP_BOUND_MS = 3_000;

const ADMIN = { email: 'admin@example.com', password: randomBytes(12).toString('hex') };
const SECRET = randomBytes(32).toString('hex');

/** The collections the snapshot declares (those with a table, not folders). */
const DECLARED_COLLECTIONS = (
  yaml.load(readFileSync(join(REPO_ROOT, 'snapshots', 'schema.yaml'), 'utf8')) as {
    collections: { collection: string; schema: unknown }[];
  }
).collections
  .filter((collection) => collection.schema !== null)
  .map((collection) => collection.collection)
  .sort();

/**
 * Kills PostgreSQL under a booting container, then expects a failed boot: the container ends
 * by itself within the bound, non-zero, never having answered on its port. Returns its log.
 */
async function crashPostgresUnder(postgres: HostPostgres, directus: Container): Promise<string> {
  await postgres.crash();
  const exit = await waitForExit(directus, FAILED_BOOT_EXIT_BOUND_MS);
  console.log(`[image] exited ${exit.code} ${exit.afterMs} ms after PostgreSQL was killed`);

  expect(exit.code).not.toBeNull();
  expect(exit.code).not.toBe(0);
  expect(exit.served).toBe(false);

  return directus.logs();
}

let containers = 0;

/** A container name unique to this run and test, so that nothing of another run is touched. */
const nameFor = (what: string) => `db-boot-image-${process.pid}-${++containers}-${what}`;

async function startDirectus(
  postgres: HostPostgres,
  what: string,
  options: { env?: Record<string, string>; mounts?: Record<string, string> } = {},
): Promise<Container> {
  const port = await freePort();

  return runContainer({
    name: nameFor(what),
    port,
    env: {
      ...postgres.directusEnv,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      TELEMETRY: 'false',
      ...options.env,
    },
    mounts: options.mounts,
  });
}

/** The user collections Directus serves, read as the admin through the REST API. */
async function servedCollections(port: number): Promise<string[]> {
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
  const response = await fetch(`${base}/collections?limit=-1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const { data } = (await response.json()) as { data: { collection: string }[] };

  return data
    .map(({ collection }) => collection)
    .filter((collection) => !collection.startsWith('directus_'))
    .sort();
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

afterEach(removeAllContainers);

describe('the image', () => {
  it('runs as the node user, uid 1000', async () => {
    const uid = await podmanOk([
      'run',
      '--rm',
      '--label',
      RUN_LABEL,
      '--entrypoint',
      'id',
      IMAGE,
      '-u',
    ]);

    expect(uid).toBe('1000');
  });

  it('adds only a few MB to the base image', async () => {
    const size = async (image: string) =>
      Number(await podmanOk(['image', 'inspect', '--format', '{{.Size}}', image]));
    const [base, ours] = [await size(BASE_IMAGE), await size(IMAGE)];
    console.log(`[image] base ${mib(base)}, ours ${mib(ours)}, our layers ${mib(ours - base)}`);

    expect(ours - base).toBeGreaterThan(0);
    expect(ours - base).toBeLessThan(10 * 2 ** 20);
  });

  it('refuses to start without DB_CLIENT=pg, saying what to set', async () => {
    const result = await podman(['run', '--rm', '--label', RUN_LABEL, IMAGE]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("[entrypoint] error: DB_CLIENT is 'sqlite3'");
    expect(result.stderr).toContain('set DB_CLIENT=pg');
  });
});

// The second test boots on the database the first one left: the order is the point.
describe('booting on an empty database, then on the same database again', () => {
  let postgres: HostPostgres;

  beforeAll(async () => void (postgres = await startHostPostgres()));
  afterAll(async () => postgres?.stop());

  it('applies 3 migrations and creates 12 collections, healthy only once serving', async () => {
    const directus = await startDirectus(postgres, 'fresh');

    const before = await directus.healthcheck();
    await waitUntilServing(directus);
    const after = await directus.healthcheck();
    const log = await directus.logs();

    expect(before).toMatchObject({ output: 'unhealthy' });
    expect(before.code).not.toBe(0);
    expect(after).toEqual({ code: 0, output: 'healthy' });
    expect(log).toContain('db-init: 3 applied, 0 skipped');
    expect(log).toMatch(/schema: \d+ change\(s\) applied \(\d+ created, 0 updated, 0 deleted\)/);
    const created = [...log.matchAll(/schema: \+ collection (\S+)/g)].map((match) => match[1]);
    expect(created.sort()).toEqual(DECLARED_COLLECTIONS);
    expect(DECLARED_COLLECTIONS).toHaveLength(12);
    expect(await servedCollections(directus.port)).toEqual(DECLARED_COLLECTIONS);
    // DB_EXCLUDE_TABLES, set by the image, keeps `positions` out of Directus's schema reads.
    expect(log).not.toMatch(/primary key/i);
  });

  it('skips the 3 migrations, finds no changes, serves, and stops within 3 s', async () => {
    const directus = await startDirectus(postgres, 'warm');

    await waitUntilServing(directus);
    const log = await directus.logs();
    const pid1 = await directus.exec(['cat', '/proc/1/cmdline', '/proc/1/status']);
    const processes = await directus.exec(['ps', '-eo', 'args']);

    expect(log).toContain('db-init: 0 applied, 3 skipped');
    expect(log).toContain('schema: no changes');
    expect(log.indexOf('schema: no changes')).toBeLessThan(log.indexOf('Server started at'));
    expect(log).not.toMatch(/primary key/i);
    // pm2-runtime is PID 1, as uid 1000, so `podman stop`'s SIGTERM reaches it.
    expect(pid1).toContain('pm2-runtime');
    expect(pid1).toMatch(/^Uid:\s+1000\s/m);
    // pm2 runs Directus's CLI without the npm update check of cli.js.
    expect(processes).toContain('node /directus/node_modules/@directus/api/dist/cli/run.js');
    expect(processes).not.toContain('cli.js');

    // An operator's `docker exec ... db-boot status --json`: with LOG_LEVEL=warn, stdout is the
    // JSON alone, which needs the image's DB_EXCLUDE_TABLES in the exec's environment too.
    const cli = '/directus/node_modules/@directus/api/dist/cli/run.js';
    const printed = await directus.exec([
      'env',
      'LOG_LEVEL=warn',
      'node',
      cli,
      'db-boot',
      'status',
      '--json',
    ]);
    const status = JSON.parse(printed) as { migrations: { state: string }[]; refusals: [] };
    expect(status.migrations.map((migration) => migration.state)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    expect(status.refusals).toEqual([]);

    const started = Date.now();
    await podmanOk(['stop', directus.name]);
    const tookMs = Date.now() - started;
    console.log(`[image] podman stop took ${tookMs} ms`);

    expect(tookMs).toBeLessThan(STOP_BOUND_MS);
    expect(await directus.exitCode()).toBe(0);
  });
});

describe('a stop during bootstrap', () => {
  let postgres: HostPostgres | undefined;

  afterEach(async () => {
    await removeAllContainers();
    await postgres?.stop();
    postgres = undefined;
  });

  it('lets bootstrap finish, then ends the container without starting Directus', async () => {
    postgres = await startHostPostgres();
    const directus = await startDirectus(postgres, 'stopped-in-bootstrap');
    await waitFor(
      'bootstrap to start',
      async () => (await directus.logs()).includes('[entrypoint] directus bootstrap'),
      directus,
    );

    // A generous timeout: the point is what happens on SIGTERM, not how long bootstrap takes.
    await podmanOk(['stop', '--time', '120', directus.name], 150_000);
    const log = await directus.logs();

    expect(await directus.exitCode()).toBe(143);
    expect(log).toMatch(/INFO: Done\s+\[entrypoint\] stop signal during bootstrap/);
    expect(log).not.toContain('starting Directus under pm2-runtime');
  });
});

describe('PostgreSQL killed during the boot', () => {
  let postgres: HostPostgres | undefined;
  let scratch: string | undefined;

  afterEach(async () => {
    await removeAllContainers();
    await postgres?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    postgres = undefined;
    scratch = undefined;
  });

  /** Activity of other sessions on the server, as pg_stat_activity shows it. */
  const activity = async (where: string) =>
    (
      await postgres!.server.query(
        'postgres',
        `SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND ${where}`,
      )
    ).length > 0;

  it('while a migration runs: exits non-zero in time, naming step, file and cause', async () => {
    postgres = await startHostPostgres();
    // The real migrations, then one that runs until the test kills PostgreSQL under it.
    scratch = mkdtempSync(join(tmpdir(), 'db-boot-image-migrations-'));
    chmodSync(scratch, 0o755);
    for (const file of readdirSync(join(REPO_ROOT, 'db-init'))) {
      copyFileSync(join(REPO_ROOT, 'db-init', file), join(scratch, file));
    }
    writeFileSync(join(scratch, '0004-runs-until-killed.sql'), 'SELECT pg_sleep(600);\n');

    const directus = await startDirectus(postgres, 'migration-killed', {
      env: { BOOT_MIGRATIONS_PATH: '/directus/test-db-init' },
      mounts: { [scratch]: '/directus/test-db-init' },
    });
    await waitFor(
      'the slow migration',
      () => activity("query LIKE 'SELECT pg_sleep(600)%'"),
      directus,
    );
    const log = await crashPostgresUnder(postgres, directus);

    expect(log).toContain('db-init: applied 0003-latest-positions-index.sql');
    expect(log).toMatch(
      /boot: failed at db-init: 0004-runs-until-killed\.sql: Connection terminated unexpectedly/,
    );
  });

  it('while the snapshot is applied: exits non-zero in time, naming step and cause', async () => {
    postgres = await startHostPostgres();
    // Directus's tables and the migrations first, without the snapshot.
    const prepare = await startDirectus(postgres, 'prepare', {
      env: { BOOT_SKIP_SNAPSHOT: 'true' },
    });
    await waitUntilServing(prepare);
    await prepare.remove();

    // Reads go on, but the apply's first write to Directus's tables waits on this lock.
    const blocker = await postgres.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE directus_collections, directus_fields IN SHARE MODE');

    const directus = await startDirectus(postgres, 'snapshot-killed');
    await waitFor(
      'the snapshot apply, blocked on the lock',
      async () =>
        (await directus.logs()).includes('schema: + collection') &&
        (await activity("wait_event_type = 'Lock'")),
      directus,
    );
    const log = await crashPostgresUnder(postgres, directus);

    expect(log).toContain('db-init: 0 applied, 3 skipped');
    expect(log).toContain(
      'boot: failed at schema: ./snapshots/schema.yaml: applying failed, nothing was changed: ',
    );
    expect(log).toMatch(/applying failed, nothing was changed: .*connection error/);
  });
});

describe('compose.dev.yaml', () => {
  it('builds Directus once PostgreSQL 16 is healthy, with data in named volumes', () => {
    const compose = yaml.load(readFileSync(join(REPO_ROOT, 'compose.dev.yaml'), 'utf8')) as {
      services: Record<string, Record<string, unknown>>;
      volumes: Record<string, unknown>;
    };
    const { postgres, directus } = compose.services;

    expect(postgres?.['image']).toMatch(/^postgres:16\./);
    expect(postgres?.['healthcheck']).toBeDefined();
    expect(postgres?.['volumes']).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(directus?.['build']).toBe('.');
    expect(directus?.['depends_on']).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(Object.keys(compose.volumes)).toContain('postgres-data');
  });
});
