import { describe, expect, it } from 'vitest';
import type { BootStatusJson } from '../../extensions/db-boot/src/api/status/status-json';
import {
  formatDuration,
  headline,
  lockNotice,
  migrationSummary,
  overallTone,
  schemaSummary,
  visibleMigrations,
} from '../../extensions/db-boot/src/app/panel/status-view';

type State = BootStatusJson['migrations'][number]['state'];

function statusWith(states: State[], drift: string[] = [], error?: string): BootStatusJson {
  return {
    migrations: states.map((state, index) => ({
      name: `000${index}.sql`,
      state,
      appliedAt: null,
      durationMs: null,
      checksum: 'c'.repeat(64),
    })),
    snapshot: { file: 'schema.yaml', hash: null, lastApplied: null, drift, error },
    refusals: [],
    lastBoot: null,
    lockHolder: null,
  };
}

describe('the panel headline', () => {
  it('counts migrations by state, in the order a boot cares about', () => {
    expect(migrationSummary(statusWith(['applied', 'applied', 'applied']))).toBe('3 applied');
    expect(migrationSummary(statusWith(['missing', 'pending', 'applied', 'changed']))).toBe(
      '1 applied, 1 pending, 1 changed, 1 missing',
    );
    expect(migrationSummary(statusWith([]))).toBe('no migrations');
  });

  it('names the schema state: in sync, differences, or why it cannot compare', () => {
    expect(schemaSummary(statusWith([]).snapshot)).toEqual({ text: 'in sync', tone: 'success' });
    expect(schemaSummary(statusWith([], ['+ a', '- b']).snapshot)).toEqual({
      text: '2 differences',
      tone: 'warning',
    });
    expect(schemaSummary(statusWith([], [], 'invalid YAML').snapshot).tone).toBe('danger');
  });

  it('takes the worst tone: a changed file outweighs drift, drift outweighs applied', () => {
    expect(overallTone(statusWith(['applied']))).toBe('success');
    expect(overallTone(statusWith(['applied'], ['+ a']))).toBe('warning');
    expect(overallTone(statusWith(['changed'], ['+ a']))).toBe('danger');
  });

  it('gives the reason for a red headline in its text', () => {
    const refused = { ...statusWith(['applied']), refusals: ['db-init: refused: ...'] };
    expect(headline(refused)).toBe('1 applied · schema in sync · next boot would fail');
    expect(overallTone(refused)).toBe('danger');

    const failedBoot = { ...statusWith(['applied']), lastBoot: bootWith('failed') };
    expect(headline(failedBoot)).toBe('1 applied · schema in sync · last boot failed');
    expect(overallTone(failedBoot)).toBe('danger');
  });

  it('writes durations short enough for a table cell', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1450)).toBe('1.4 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});

function bootWith(outcome: 'ready' | 'failed'): NonNullable<BootStatusJson['lastBoot']> {
  return {
    process: 'host:1',
    startedAt: '2026-12-03T10:00:00.000Z',
    finishedAt: '2026-12-03T10:00:01.000Z',
    outcome,
    lockWaitMs: null,
    steps: [],
    error: outcome === 'failed' ? 'config: BOOT_X is not a setting' : null,
    snapshotHash: null,
  };
}

describe('the lock notice', () => {
  it('names the backend holding the boot lock, and when it took it', () => {
    const since = '2026-12-04T10:41:02.000Z';
    const text = lockNotice({ pid: 4711, address: '10.0.0.7', since });

    expect(text).toMatch(
      /^A boot or a db-boot command holds the boot lock \(backend pid 4711 at 10\.0\.0\.7, since /,
    );
    expect(text).toContain(new Date(since).toLocaleTimeString());
    expect(text).toMatch(/this status may change when it ends\.$/);
    expect(lockNotice({ pid: 1, address: null, since: null })).toContain('(backend pid 1)');
  });
});

describe('the migrations table', () => {
  const names = (rows: BootStatusJson['migrations']) => rows.map((row) => row.name);

  it('shows up to ten applied migrations unfolded', () => {
    const status = statusWith(Array<State>(10).fill('applied'));

    expect(visibleMigrations(status.migrations, false)).toEqual({
      rows: status.migrations,
      folded: 0,
    });
  });

  it('folds the earliest applied ones beyond that, never a row that needs attention', () => {
    const states: State[] = ['applied', 'changed', ...Array<State>(12).fill('applied'), 'pending'];
    const { migrations } = statusWith(states);

    const folded = visibleMigrations(migrations, false);

    expect(folded.folded).toBe(8);
    expect(names(folded.rows)).toEqual([
      names(migrations)[1],
      ...names(migrations).slice(9, 14),
      names(migrations)[14],
    ]);
    expect(visibleMigrations(migrations, true)).toEqual({ rows: migrations, folded: 0 });
  });
});
