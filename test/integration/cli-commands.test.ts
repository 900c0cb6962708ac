import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  adminClient,
  boot,
  cli,
  createDatabase,
  stopAllDirectus,
} from '../support/directus-under-test';
import { holdBootLock } from '../support/boot-lock';
import { REPO_SNAPSHOT } from '../support/directus-env-for-tests';
import { migrationsWith } from '../support/migration-folders';

afterEach(stopAllDirectus);

/** The JSON a command printed after Directus's own log lines. */
function printedJson(output: string) {
  return JSON.parse(output.slice(output.indexOf('\n{') + 1)) as {
    migrations: { name: string; state: string }[];
    snapshot: { drift: string[] };
  };
}

const states = (output: string) =>
  printedJson(output).migrations.map(({ name, state }) => `${name} ${state}`);

describe('npx directus db-boot', () => {
  it('status and accept: exit 1 on a changed file until the change is accepted', async () => {
    const database = await createDatabase('bootstrapped');
    const folder = migrationsWith();
    const env = { BOOT_MIGRATIONS_PATH: folder };
    const { directus } = await boot({ database, env });
    await directus.waitUntilServing();
    await stopAllDirectus();

    const inSync = await cli(database, ['db-boot', 'status', '--json'], env);
    expect(inSync.code).toBe(0);
    expect(states(inSync.output)).toEqual([
      '0001-positions.sql applied',
      '0002-flag-faulty-positions.sql applied',
      '0003-latest-positions-index.sql applied',
    ]);
    expect(printedJson(inSync.output).snapshot.drift).toEqual([]);

    appendFileSync(join(folder, '0002-flag-faulty-positions.sql'), '\n-- reviewed edit\n');
    const changed = await cli(database, ['db-boot', 'status'], env);
    expect(changed.code).toBe(1);
    expect(changed.output).toMatch(/0002-flag-faulty-positions\.sql\s+changed/);

    const accepted = await cli(
      database,
      ['db-boot', 'accept', '0002-flag-faulty-positions.sql'],
      env,
    );
    expect(accepted.code).toBe(0);
    expect(accepted.output).toContain(
      'db-init: accepted the changed file 0002-flag-faulty-positions.sql: sha256 ',
    );
    expect(accepted.output).toMatch(/[0-9a-f]{64} -> [0-9a-f]{64} \(db-boot accept, by \w+\)/);
    expect((await cli(database, ['db-boot', 'status'], env)).code).toBe(0);

    const again = await cli(database, ['db-boot', 'accept', '0002-flag-faulty-positions.sql'], env);
    expect(again.code).toBe(2);
    expect(again.output).toContain('has not changed since it was applied: nothing to accept');
  });

  it('baseline and plan: adopt what another tool applied, then show what is left', async () => {
    const database = await createDatabase('bootstrapped');

    const baseline = await cli(database, ['db-boot', 'baseline', '0002-flag-faulty-positions.sql']);
    expect(baseline.code).toBe(0);
    expect(baseline.output).toContain(
      'db-init: baseline: recorded 2 migration(s) up to 0002-flag-faulty-positions.sql as ' +
        'applied without running them: 0001-positions.sql, 0002-flag-faulty-positions.sql',
    );

    const status = await cli(database, ['db-boot', 'status', '--json']);
    expect(status.code).toBe(1);
    expect(states(status.output)).toEqual([
      '0001-positions.sql applied',
      '0002-flag-faulty-positions.sql applied',
      '0003-latest-positions-index.sql pending',
    ]);

    const plan = await cli(database, ['db-boot', 'plan']);
    expect(plan.code).toBe(0);
    expect(plan.output).toContain('db-init: would apply 0003-latest-positions-index.sql');
    expect(plan.output).toContain('schema: would apply + collection devices');
    expect((await cli(database, ['db-boot', 'status'])).output).toContain('boot lock: free');

    // A boot under way elsewhere holds the lock: the status says who, and since when.
    const lock = await holdBootLock(database);
    try {
      const underWay = await cli(database, ['db-boot', 'status']);
      expect(underWay.output).toMatch(
        new RegExp(`boot lock: held by backend pid ${lock.pid}( at \\S+)? since \\d{4}-`),
      );
    } finally {
      await lock.release();
    }
  });

  it('status: exit 1 on a missing file and on schema drift, with both in the table', async () => {
    const database = await createDatabase('bootstrapped');
    const folder = migrationsWith();
    const env = { BOOT_MIGRATIONS_PATH: folder };
    const { directus, port } = await boot({ database, env });
    await directus.waitUntilServing();
    const api = await adminClient(port);
    await api('POST', '/fields/tags', {
      field: 'extra',
      type: 'string',
      meta: { interface: 'input' },
    });
    await stopAllDirectus();
    rmSync(join(folder, '0003-latest-positions-index.sql'));

    const status = await cli(database, ['db-boot', 'status'], env);
    expect(status.code).toBe(1);
    expect(status.output).toMatch(/0003-latest-positions-index\.sql\s+missing/);
    expect(status.output).toMatch(
      /snapshot \S+schema\.yaml: 1 difference\(s\)\n {2}- field tags\.extra/,
    );
    expect(status.output).toMatch(/snapshot last applied: \S+ \(sha256 [0-9a-f]{12}, the file as/);
    expect(status.output).toMatch(/last boot: ready at /);

    // Both would make a boot fail; plan says so instead of "would apply", and exits 1.
    const plan = await cli(database, ['db-boot', 'plan'], env);
    expect(plan.code).toBe(1);
    expect(plan.output).toContain('a boot now would fail, refusing:');
    expect(plan.output).toMatch(/db-init: refused: 0003-latest-positions-index\.sql was applied/);
    expect(plan.output).toMatch(/schema: \S+: refused 1 destructive change\(s\): field tags/);
    expect(plan.output).not.toContain('would apply');
  });

  it('plan: refuses what the boot would, typos exit 2, accept takes a path', async () => {
    const database = await createDatabase('bootstrapped');
    const folder = migrationsWith(
      'migrations/unloadable/0004-enum.ts',
      'migrations/unloadable/0005-leaks-at-import.mjs',
    );
    // The repository's snapshot as an older Directus would have written it.
    const snapshot = join(folder, '..', `older-${Date.now()}.yaml`);
    const text = readFileSync(REPO_SNAPSHOT, 'utf8').replace(/^directus: .*$/m, 'directus: 10.0.0');
    writeFileSync(snapshot, text);
    const env = { BOOT_MIGRATIONS_PATH: folder, BOOT_SNAPSHOT_PATH: snapshot };

    const plan = await cli(database, ['db-boot', 'plan'], env);
    expect(plan.code).toBe(1);
    expect(plan.output).toContain(
      'db-init: 0004-enum.ts: cannot be loaded: TypeScript enum is not supported',
    );
    expect(plan.output).toContain(
      `schema: ${snapshot}: Directus refused the snapshot: Invalid payload. Provided ` +
        "snapshot's directus version 10.0.0 does not match the current instance's version " +
        '11.17.4. (re-export it with this Directus, or set BOOT_SNAPSHOT_FORCE=true)',
    );
    expect(plan.output).not.toContain('query parameter');
    // The import error quotes the password; the refusal shows it masked, as the boot does.
    expect(plan.output).toContain(
      'db-init: 0005-leaks-at-import.mjs: cannot be loaded: cannot reach postgres://postgres:***@',
    );
    expect(plan.output).not.toContain(inject('postgres').password);

    const mistyped = await cli(database, ['db-boot', 'status', '--jsn'], env);
    expect(mistyped.code).toBe(2);
    expect(mistyped.output).toContain("error: unknown option '--jsn'");
    expect((await cli(database, ['db-boot', 'frobnicate'], env)).code).toBe(2);

    rmSync(join(folder, '0004-enum.ts'));
    rmSync(join(folder, '0005-leaks-at-import.mjs'));
    const inFolder = { BOOT_MIGRATIONS_PATH: folder };
    const firstFile = join(folder, '0001-positions.sql');
    const baseline = await cli(database, ['db-boot', 'baseline', firstFile], inFolder);
    expect(baseline.code).toBe(0);
    expect(baseline.output).toContain('recorded 1 migration(s) up to 0001-positions.sql');
    const elsewhere = await cli(
      database,
      ['db-boot', 'accept', '/tmp/0001-positions.sql'],
      inFolder,
    );
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.output).toContain('/tmp/0001-positions.sql is not in the migrations folder');

    // With the folder gone, no applied file is there any more.
    const gone = await cli(database, ['db-boot', 'status', '--json'], {
      BOOT_MIGRATIONS_PATH: join(folder, 'no-such-folder'),
    });
    expect(gone.code).toBe(1);
    expect(states(gone.output)).toEqual(['0001-positions.sql missing']);
  });
});
