import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { databaseFingerprint, historyNames, tableExists } from '../support/database-state';
import { TEST_ADMIN } from '../support/directus-env-for-tests';
import {
  adminClient,
  boot,
  createDatabase,
  portEverOpened,
  query,
  stopAllDirectus,
} from '../support/directus-under-test';
import { FIXTURES, migrationsWith } from '../support/migration-folders';

const PLATFORM_MIGRATIONS = [
  '0001-positions.sql',
  '0002-flag-faulty-positions.sql',
  '0003-latest-positions-index.sql',
];

const PLATFORM_COLLECTIONS = [
  'alert_rules',
  'alerts',
  'assets',
  'assignments',
  'customers',
  'device_models',
  'devices',
  'devices_tags',
  'geofences',
  'manufacturers',
  'sites',
  'tags',
];

afterEach(stopAllDirectus);

/** The indexes of Directus's own tables, which a snapshot must not take away. */
async function systemIndexes(database: string): Promise<string[]> {
  const rows = await query(
    database,
    "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'directus\\_%' ORDER BY 1",
  );

  return rows.map((row) => String(row['indexname']));
}

async function userCollections(port: number): Promise<string[]> {
  const api = await adminClient(port);
  const { body } = await api('GET', '/collections');

  return (body.data as { collection: string }[])
    .map((item) => item.collection)
    .filter((name) => !name.startsWith('directus_'))
    .sort();
}

/** Boots a run that must fail; returns its exit code, output and whether the port opened. */
async function failingBoot(database: string, env: Record<string, string>) {
  const { directus, port } = await boot({ database, env });
  const opened = portEverOpened(port, directus.exited);
  const code = await directus.exited;

  return { code, output: directus.output(), portOpened: await opened };
}

describe('booting the platform database', () => {
  it('brings a fresh database to the declared state, then finds nothing to do', async () => {
    const database = await createDatabase('empty');

    const first = await boot({ database, bootstrap: true });
    await first.directus.waitUntilServing();
    const firstLog = first.directus.output();

    expect(firstLog).toContain('db-init: 3 applied, 0 skipped');
    expect(firstLog).not.toContain(inject('postgres').password);
    expect(firstLog).not.toContain(TEST_ADMIN.password);
    expect(firstLog).toMatch(
      /schema: \d+ change\(s\) applied \(\d+ created, 0 updated, 0 deleted\)/,
    );
    expect(firstLog.indexOf('boot: database ready')).toBeLessThan(
      firstLog.indexOf('Server started'),
    );
    expect(await fetch(`http://127.0.0.1:${first.port}/server/ping`).then((r) => r.text())).toBe(
      'pong',
    );
    expect(await userCollections(first.port)).toEqual(PLATFORM_COLLECTIONS);
    expect(await historyNames(database)).toEqual(PLATFORM_MIGRATIONS);
    expect(await tableExists(database, 'positions')).toBe(true);

    await stopAllDirectus();
    const before = await databaseFingerprint(database);

    const second = await boot({ database, bootstrap: true });
    await second.directus.waitUntilServing();
    const secondLog = second.directus.output();

    expect(secondLog).toContain('db-init: 0 applied, 3 skipped');
    expect(secondLog).toContain('schema: no changes');
    expect(await databaseFingerprint(database)).toBe(before);
    expect(await userCollections(second.port)).toEqual(PLATFORM_COLLECTIONS);
  });
});

describe('a failing migration', () => {
  it('stops the boot, names file and position, leaves no table and no history row', async () => {
    const database = await createDatabase('bootstrapped');
    const folder = migrationsWith('migrations/0004-create-then-fail.sql');

    const run = await failingBoot(database, { BOOT_MIGRATIONS_PATH: folder });

    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      'boot: failed at db-init: 0004-create-then-fail.sql:5:16: ' +
        'relation "table_that_does_not_exist" does not exist',
    );
    expect(run.output).toContain(
      '(statement: INSERT INTO half_done (id) SELECT id FROM table_that_does_not_exist)',
    );
    expect(run.output).not.toContain('Server started');
    expect(run.portOpened).toBe(false);
    expect(await historyNames(database)).toEqual(PLATFORM_MIGRATIONS);
    expect(await tableExists(database, 'half_done')).toBe(false);
    const [recorded] = await query(database, 'SELECT outcome, error FROM db_boot.boots');
    expect(recorded).toEqual({
      outcome: 'failed',
      error: expect.stringContaining('db-init: 0004-create-then-fail.sql:5:16'),
    });
  });

  it('refuses scripts that cannot load before it applies anything, secrets masked', async () => {
    const database = await createDatabase('bootstrapped');
    const folder = migrationsWith(
      'migrations/unloadable/0004-enum.ts',
      'migrations/unloadable/0005-leaks-at-import.mjs',
    );

    const run = await failingBoot(database, { BOOT_MIGRATIONS_PATH: folder });

    expect(run.code).toBe(1);
    expect(run.output).toContain(
      'boot: failed at db-init: 0004-enum.ts: cannot be loaded: TypeScript enum is not supported',
    );
    expect(run.output).toContain(
      '0005-leaks-at-import.mjs: cannot be loaded: ' +
        'cannot reach postgres://postgres:***@db:5432/x (password ***) (nothing applied)',
    );
    expect(run.output).not.toContain(inject('postgres').password);
    expect(run.portOpened).toBe(false);
    expect(await historyNames(database)).toEqual([]);
  });

  it('with BOOT_PLAN_ONLY, logs the plan and the refusal, applies nothing, serves', async () => {
    const database = await createDatabase('bootstrapped');
    const folder = migrationsWith('migrations/unloadable/0004-enum.ts');
    const env = { BOOT_MIGRATIONS_PATH: folder, BOOT_PLAN_ONLY: 'true' };

    const { directus, port } = await boot({ database, env });
    await directus.waitUntilServing();
    const log = directus.output();

    expect(log).toContain('db-init: would apply 0001-positions.sql');
    expect(log).toContain(
      'db-init: (plan only) a real boot would refuse: 0004-enum.ts: cannot be loaded',
    );
    expect(log).toContain('schema: (plan only) + collection devices');
    expect(log).toContain('boot: plan only, nothing applied');
    expect(await userCollections(port)).toEqual([]);
    expect(await tableExists(database, 'positions')).toBe(false);
    const [recorded] = await query(database, 'SELECT outcome FROM db_boot.boots');
    expect(recorded).toEqual({ outcome: 'plan-only' });
  });

  it('keeps the passwords its error quotes out of the log and db_boot.boots', async () => {
    const database = await createDatabase('bootstrapped');
    const folder = migrationsWith('migrations/0004-leaks-secrets.mjs');
    const password = inject('postgres').password;

    const run = await failingBoot(database, { BOOT_MIGRATIONS_PATH: folder });
    const [recorded] = await query(database, 'SELECT error FROM db_boot.boots');
    const redacted =
      'db-init: 0004-leaks-secrets.mjs: up() failed: cannot reach ' +
      'postgres://postgres:***@db:5432/x (password ***), nor postgresql://report:***@host/db';

    expect(run.code).toBe(1);
    expect(run.output).toContain(`boot: failed at ${redacted}`);
    expect(run.output).not.toContain(password);
    expect(run.output).not.toContain('hunter2');
    expect(recorded).toEqual({ error: redacted });
  });

  it('refuses an applied migration that was edited afterwards, with both checksums', async () => {
    const database = await createDatabase('bootstrapped');
    const folder = migrationsWith();
    const env = { BOOT_MIGRATIONS_PATH: folder, BOOT_SKIP_SNAPSHOT: 'true' };
    const first = await boot({ database, env });
    await first.directus.waitUntilServing();
    await stopAllDirectus();

    const edited = join(folder, '0002-flag-faulty-positions.sql');
    const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const recorded = sha256(edited);
    appendFileSync(edited, '\n-- an innocent-looking edit\n');

    const run = await failingBoot(database, env);

    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      `0002-flag-faulty-positions.sql changed after it was applied: ` +
        `recorded sha256 ${recorded}, file now ${sha256(edited)}`,
    );
    expect(run.portOpened).toBe(false);
  });
});

describe('a bad snapshot file', () => {
  it.each([
    ['not-yaml.yaml', ['invalid YAML at line 5, column 10']],
    [
      'wrong-shape.yaml',
      [
        'not a Directus schema snapshot',
        'version must be 1, got number 2',
        'collections[0].collection must be a non-empty string',
        'fields must be a list, got string "none"',
      ],
    ],
  ])('%s stops the boot with an error naming the file and the cause', async (file, causes) => {
    const database = await createDatabase('bootstrapped');
    const path = join(FIXTURES, 'snapshots', file);

    const run = await failingBoot(database, { BOOT_SNAPSHOT_PATH: path });

    expect(run.code).not.toBe(0);
    expect(run.output).toContain(`boot: failed at schema: ${path}: `);
    for (const cause of causes) expect(run.output).toContain(cause);
    expect(run.portOpened).toBe(false);
  });
});

describe('a snapshot written by an older Directus', () => {
  it("keeps Directus's own indexes, and is refused rather than dropping a table", async () => {
    const database = await createDatabase('bootstrapped');
    const env = { BOOT_SNAPSHOT_PATH: join(FIXTURES, 'snapshots', 'older-directus-notes.yaml') };
    const first = await boot({ database, env });
    await first.directus.waitUntilServing();
    await stopAllDirectus();
    await query(database, 'INSERT INTO notes DEFAULT VALUES');

    const run = await failingBoot(database, env);

    expect(run.output).toContain(
      'refused 1 destructive change(s): collection notes (table dropped) ' +
        '(restore them in the snapshot, or set BOOT_ALLOW_DESTRUCTIVE=true)',
    );
    expect(await query(database, 'SELECT count(*)::int AS rows FROM notes')).toEqual([{ rows: 1 }]);
    expect(await systemIndexes(database)).toEqual(await systemIndexes(inject('templateDatabase')));
  });
});

describe('two processes booting one fresh database at once', () => {
  it('apply everything once, and both serve the new collections right away', async () => {
    const database = await createDatabase('bootstrapped');
    // A slow first migration keeps the winner inside the lock, so the other one must wait.
    const env = { BOOT_MIGRATIONS_PATH: migrationsWith('migrations/0000-hold-the-lock.sql') };

    const [one, two] = await Promise.all([boot({ database, env }), boot({ database, env })]);
    await Promise.all([one.directus.waitUntilServing(), two.directus.waitUntilServing()]);
    const logs = [one.directus.output(), two.directus.output()];

    expect(await historyNames(database)).toEqual([
      '0000-hold-the-lock.sql',
      ...PLATFORM_MIGRATIONS,
    ]);
    expect(logs.filter((log) => log.includes('db-init: 4 applied, 0 skipped'))).toHaveLength(1);
    expect(logs.filter((log) => log.includes('db-init: 0 applied, 4 skipped'))).toHaveLength(1);
    expect(logs.filter((log) => /schema: \d+ change\(s\) applied/.test(log))).toHaveLength(1);
    expect(logs.filter((log) => log.includes('schema: no changes'))).toHaveLength(1);
    expect(logs.filter((log) => log.includes('lock: waiting'))).toHaveLength(1);

    for (const [index, { port }] of [one, two].entries()) {
      const api = await adminClient(port);
      const created = await api('POST', '/items/manufacturers', { name: `Maker ${index}` });
      expect(created.status).toBe(200);
      const read = await api('GET', '/items/manufacturers?fields=name&sort=name');
      expect(read.status).toBe(200);
      expect(read.body.data.map((item: { name: string }) => item.name)).toContain(`Maker ${index}`);
    }
  });
});
