import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminClient, boot, createDatabase, stopAllDirectus } from '../support/directus-under-test';
import { migrationsWith } from '../support/migration-folders';

afterEach(stopAllDirectus);

interface Status {
  migrations: {
    name: string;
    state: string;
    recordedChecksum?: string;
    appliedAt: string | null;
  }[];
  snapshot: {
    hash: string | null;
    lastApplied: { at: string; hash: string } | null;
    drift: string[];
    error?: string;
  };
  refusals: string[];
  lastBoot: { outcome: string; lockWaitMs: number; steps: { step: string; summary: string }[] };
}

describe('GET /db-boot/status', () => {
  it('shows each migration state and the live drift to administrators only', async () => {
    const database = await createDatabase('bootstrapped');
    const folder = migrationsWith();
    const { directus, port } = await boot({ database, env: { BOOT_MIGRATIONS_PATH: folder } });
    await directus.waitUntilServing();
    const api = await adminClient(port);
    const url = `http://127.0.0.1:${port}/db-boot/status`;

    expect((await fetch(url)).status).toBe(401);
    await api('POST', '/roles', { name: 'Editors' }).then(async ({ body }) =>
      api('POST', '/users', {
        email: 'editor@example.com',
        password: 'editor-password',
        role: body.data.id,
      }),
    );
    const editor = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'editor@example.com', password: 'editor-password' }),
    }).then(async (response) => (await response.json()).data.access_token as string);
    expect((await fetch(url, { headers: { authorization: `Bearer ${editor}` } })).status).toBe(403);

    const inSync = (await api('GET', '/db-boot/status')).body as Status;
    expect(inSync.migrations.map((migration) => migration.state)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    expect(inSync.snapshot.drift).toEqual([]);
    expect(inSync.refusals).toEqual([]);
    expect(inSync.snapshot.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(inSync.snapshot.lastApplied?.hash).toBe(inSync.snapshot.hash);
    expect(Date.parse(inSync.snapshot.lastApplied!.at)).toBeGreaterThan(Date.now() - 600_000);
    expect(inSync.lastBoot.outcome).toBe('ready');
    expect(inSync.lastBoot.lockWaitMs).toBeGreaterThanOrEqual(0);
    expect(inSync.lastBoot.steps.map(({ step, summary }) => `${step}: ${summary}`)).toEqual([
      'lock: acquired',
      'db-init: 3 applied, 0 skipped',
      expect.stringMatching(/^schema: 97 change\(s\) applied/),
    ]);

    appendFileSync(join(folder, '0002-flag-faulty-positions.sql'), '\n-- edited\n');
    rmSync(join(folder, '0003-latest-positions-index.sql'));
    writeFileSync(join(folder, '0004-new.sql'), 'SELECT 1;\n');
    // A field with meta is one Directus tracks, so it belongs in snapshots.
    await api('POST', '/fields/tags', {
      field: 'extra',
      type: 'string',
      meta: { interface: 'input' },
    });

    const drifted = (await api('GET', '/db-boot/status')).body as Status;
    expect(drifted.migrations.map(({ name, state }) => [name, state])).toEqual([
      ['0001-positions.sql', 'applied'],
      ['0002-flag-faulty-positions.sql', 'changed'],
      ['0003-latest-positions-index.sql', 'missing'],
      ['0004-new.sql', 'pending'],
    ]);
    expect(drifted.migrations[1]!.recordedChecksum).toMatch(/^[0-9a-f]{64}$/);
    expect(drifted.snapshot.drift).toEqual(['- field tags.extra (drops its column)']);
    expect(drifted.refusals).toEqual([
      expect.stringMatching(
        new RegExp(
          '^db-init: refused: 0002-flag-faulty-positions\\.sql changed after it was applied: ' +
            '.*; 0003-latest-positions-index\\.sql was applied but its file is gone ' +
            '\\(a changed file: ',
        ),
      ),
      expect.stringMatching(/^schema: \S+: refused 1 destructive change\(s\): field tags\.extra/),
    ]);

    // A file the boot refuses to read is news for the status, never a crash of the server.
    writeFileSync(join(folder, 'notes.json'), '{}\n');
    const refused = await api('GET', '/db-boot/status');
    expect(refused.status).toBe(200);
    expect((refused.body as Status).refusals[0]).toMatch(/^db-init: .*notes\.json/);
    expect((await fetch(`http://127.0.0.1:${port}/server/ping`)).status).toBe(200);
  });
});
