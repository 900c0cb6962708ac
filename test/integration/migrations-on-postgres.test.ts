import knexFactory, { type Knex } from 'knex';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { acquireBootLock } from '../../extensions/db-boot/src/api/lock/advisory-lock';
import { runMigrations } from '../../extensions/db-boot/src/api/migrations/run-migrations';
import { createDatabase } from '../support/directus-under-test';
import { FIXTURES } from '../support/migration-folders';
import { REPO_MIGRATIONS } from '../support/directus-env-for-tests';

const instances: Knex[] = [];
const folders: string[] = [];

async function freshKnex(): Promise<Knex> {
  const database = await createDatabase('empty');
  const knex = knexFactory({ client: 'pg', connection: { ...inject('postgres'), database } });
  instances.push(knex);

  return knex;
}

/** A folder holding the given files, each taken from the fixtures or the repository. */
function folderOf(files: Record<string, string>): string {
  const folder = mkdtempSync(join(inject('scratchDir'), 'migrations-'));
  folders.push(folder);
  for (const [name, source] of Object.entries(files)) cpSync(source, join(folder, name));

  return folder;
}

const platform = Object.fromEntries(
  ['0001-positions.sql', '0002-flag-faulty-positions.sql', '0003-latest-positions-index.sql'].map(
    (name) => [name, join(REPO_MIGRATIONS, name)],
  ),
);

const logger = () => {
  const lines: string[] = [];

  return {
    lines,
    info: (line: string) => lines.push(line),
    warn: (line: string) => lines.push(`WARN ${line}`),
  };
};

const run = (knex: Knex, folder: string, log = logger()) =>
  runMigrations({
    knex,
    folder,
    planOnly: false,
    onChangedMigration: 'fail',
    onMissingMigration: 'fail',
    logger: log,
  });

const history = async (knex: Knex) =>
  (await knex.raw('SELECT name FROM db_boot.migrations ORDER BY name')).rows.map(
    (row: { name: string }) => row.name,
  );

const exists = async (knex: Knex, relation: string) =>
  (await knex.raw('SELECT to_regclass(?) AS found', [relation])).rows[0].found !== null;

afterEach(async () => {
  await Promise.all(instances.splice(0).map((knex) => knex.destroy()));
});

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('db-init on a real PostgreSQL', () => {
  it('applies the platform migrations once, recording checksum, time and duration', async () => {
    const knex = await freshKnex();
    const folder = folderOf(platform);

    const first = await run(knex, folder);
    const second = await run(knex, folder);

    expect(first).toEqual({ applied: Object.keys(platform), skipped: 0, pending: [] });
    expect(second).toEqual({ applied: [], skipped: 3, pending: [] });
    const rows = (await knex.raw('SELECT * FROM db_boot.migrations ORDER BY name')).rows;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.applied_at).toBeInstanceOf(Date);
      expect(row.duration_ms).toBeGreaterThanOrEqual(0);
    }
    const faulty = await knex.raw(
      'INSERT INTO positions (device_id, ts, latitude, longitude) ' +
        "VALUES ('d1', now(), 0, 0) RETURNING faulty",
    );
    expect(faulty.rows[0].faulty).toBe(true);
  });

  it('runs script migrations in their transaction, and jsonb ? operators untouched', async () => {
    const knex = await freshKnex();
    const scripted = join(FIXTURES, 'migrations', 'scripted');
    const folder = folderOf({
      '1-devices-table.sql': join(scripted, '1-devices-table.sql'),
      '2-seed.ts': join(scripted, '2-seed.ts'),
      '3-jsonb-question-mark.sql': join(scripted, '3-jsonb-question-mark.sql'),
    });

    await run(knex, folder);

    expect((await knex('coloured').count('* as count'))[0]!.count).toBe('1');
    expect(await history(knex)).toEqual([
      '1-devices-table.sql',
      '2-seed.ts',
      '3-jsonb-question-mark.sql',
    ]);
  });

  it('rolls a failing script migration back with no history row', async () => {
    const knex = await freshKnex();
    const scripted = join(FIXTURES, 'migrations', 'scripted');
    const folder = folderOf({
      '1-devices-table.sql': join(scripted, '1-devices-table.sql'),
      '4-fails-in-script.ts': join(scripted, '4-fails-in-script.ts'),
    });

    await expect(run(knex, folder)).rejects.toThrow(
      '4-fails-in-script.ts: up() failed: the script gave up',
    );

    expect(await history(knex)).toEqual(['1-devices-table.sql']);
    expect(await exists(knex, 'made_by_failing_script')).toBe(false);
  });

  it('builds an index concurrently outside a transaction while the boot lock is held', async () => {
    const knex = await freshKnex();
    const folder = folderOf({
      ...platform,
      '0005-concurrent-index.sql': join(FIXTURES, 'migrations', '0005-concurrent-index.sql'),
    });
    const lock = await acquireBootLock(knex, { timeoutSeconds: 5, logger: logger() });

    try {
      await run(knex, folder);
    } finally {
      await lock.release();
    }

    expect(await exists(knex, 'positions_received_idx')).toBe(true);
  });

  it('explains how to run CREATE INDEX CONCURRENTLY when the header is missing', async () => {
    const knex = await freshKnex();
    const folder = folderOf({
      ...platform,
      '0005-concurrent-index-in-transaction.sql': join(
        FIXTURES,
        'migrations',
        '0005-concurrent-index-in-transaction.sql',
      ),
    });

    await expect(run(knex, folder)).rejects.toThrow(
      '0005-concurrent-index-in-transaction.sql: ' +
        'CREATE INDEX CONCURRENTLY cannot run inside a transaction block (SQLSTATE 25001); ' +
        'put "-- db-init: no-transaction" at the top of the file to run it outside one',
    );
  });
});

describe('SQL that statement splitters get wrong', () => {
  it('applies BEGIN ATOMIC, E-strings, nested comments, rules and a byte order mark', async () => {
    const knex = await freshKnex();

    await run(knex, join(FIXTURES, 'migrations', 'constructs'));
    await knex.raw('SELECT add_reading(1)');

    expect((await knex('readings').count('* as count'))[0]!.count).toBe('2');
    expect(await knex('notes_log').pluck('body')).toEqual(["it's; still one string"]);
    expect(await exists(knex, 'bom_started')).toBe(true);
  });
});

describe('a migration that ends its own transaction', () => {
  it('is refused, saying that what ran is committed and the file not recorded', async () => {
    const knex = await freshKnex();
    const folder = folderOf({
      '1-explicit-commit.sql': join(FIXTURES, 'migrations', 'explicit-commit.sql'),
    });

    await expect(run(knex, folder)).rejects.toThrow(
      '1-explicit-commit.sql: ends the transaction it runs in (a COMMIT, ROLLBACK or END of ' +
        'its own): what ran before that is committed and the file is not recorded',
    );
    expect(await history(knex)).toEqual([]);
  });

  it('says so when a later statement fails', async () => {
    const knex = await freshKnex();
    const folder = folderOf({
      '1-commit-then-fail.sql': join(FIXTURES, 'migrations', 'explicit-commit-then-fail.sql'),
    });

    await expect(run(knex, folder)).rejects.toThrow(
      /^1-commit-then-fail\.sql.*division by zero.*the file ended its own transaction before this/,
    );
  });
});

describe('migration error messages', () => {
  it("name the file and PostgreSQL's detail for an error raised while the file ran", async () => {
    const knex = await freshKnex();
    const folder = folderOf({
      '1-duplicate.sql': join(FIXTURES, 'migrations', 'duplicate-key.sql'),
    });

    await expect(run(knex, folder)).rejects.toThrow(
      '1-duplicate.sql: duplicate key value violates unique constraint "single_pkey" ' +
        '(SQLSTATE 23505); detail: Key (id)=(1) already exists.',
    );
    expect(await exists(knex, 'single')).toBe(false);
  });

  it('point past leading comments at the failing statement of a no-transaction file', async () => {
    const knex = await freshKnex();
    const folder = folderOf({
      '1-commented.sql': join(FIXTURES, 'migrations', 'no-transaction-commented-failure.sql'),
    });

    await expect(run(knex, folder)).rejects.toThrow(
      '1-commented.sql:6:1: relation "missing_table" does not exist (SQLSTATE 42P01); ' +
        'the file runs outside a transaction: its first 1 statement(s) stay ' +
        '(statement: CREATE INDEX CONCURRENTLY missing_idx ON missing_table (id))',
    );
  });
});

describe('the boot lock', () => {
  it('makes a second process wait, and gives up after the timeout with a clear error', async () => {
    const knex = await freshKnex();
    const log = logger();
    const held = await acquireBootLock(knex, { timeoutSeconds: 5, logger: log });

    try {
      const started = Date.now();
      await expect(acquireBootLock(knex, { timeoutSeconds: 0.5, logger: log })).rejects.toThrow(
        'another process held the boot lock for more than 0.5 s',
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(
        log.lines.some((line) =>
          /^lock: waiting up to 0.5 s for another booting process \(backend pid \d+/.test(line),
        ),
      ).toBe(true);
    } finally {
      await held.release();
    }

    const next = await acquireBootLock(knex, { timeoutSeconds: 1, logger: log });
    expect(next.waitedMs).toBeLessThan(1000);
    await next.release();
  });

  it('lets the holder build an index concurrently while another process waits', async () => {
    const knex = await freshKnex();
    const held = await acquireBootLock(knex, { timeoutSeconds: 5, logger: logger() });
    const waiter = acquireBootLock(knex, { timeoutSeconds: 30, logger: logger() });

    try {
      await run(knex, folderOf(platform));
    } finally {
      await held.release();
    }

    await (await waiter).release();
    expect(await exists(knex, 'positions_latest_good_idx')).toBe(true);
  });

  it('is freed when its connection ends, and reports itself lost', async () => {
    const knex = await freshKnex();
    const held = await acquireBootLock(knex, { timeoutSeconds: 5, logger: logger() });

    await knex.raw(
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(() => held.assertHeld()).toThrow('lost the boot lock');
    const next = await acquireBootLock(knex, { timeoutSeconds: 1, logger: logger() });
    await next.release();
    await held.release();
  });
});
