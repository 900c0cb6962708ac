import { describe, expect, it } from 'vitest';
import {
  findHistoryProblems,
  judgeHistory,
} from '../../extensions/db-boot/src/api/migrations/check-history';
import type { MigrationFile } from '../../extensions/db-boot/src/api/migrations/find-migrations';
import type { HistoryRow } from '../../extensions/db-boot/src/api/migrations/history-table';

const file = (name: string, checksum = `sum-${name}`): MigrationFile => ({
  name,
  path: `/db-init/${name}`,
  kind: 'sql',
  text: '',
  checksum,
});
const row = (name: string, checksum = `sum-${name}`): HistoryRow => ({
  name,
  checksum,
  appliedAt: new Date(0),
  durationMs: 1,
});
const strict = { onChangedMigration: 'fail', onMissingMigration: 'fail' } as const;
const lenient = { onChangedMigration: 'warn', onMissingMigration: 'warn' } as const;

describe('checking the history against the files', () => {
  it('finds nothing wrong when every applied file is unchanged and new ones come last', () => {
    const problems = findHistoryProblems([file('1-a.sql'), file('2-b.sql')], [row('1-a.sql')]);

    expect(problems).toEqual({ changed: [], missing: [], outOfOrder: [] });
    expect(judgeHistory(problems, strict)).toEqual([]);
  });

  it('refuses a changed file by default, naming both checksums', () => {
    const problems = findHistoryProblems([file('1-a.sql', 'new')], [row('1-a.sql', 'old')]);

    expect(() => judgeHistory(problems, strict)).toThrow(
      'refused: 1-a.sql changed after it was applied: recorded sha256 old, file now new ' +
        '(a changed file: restore it, accept the reviewed change with `db-boot accept <file>`, ' +
        'or set BOOT_ON_CHANGED_MIGRATION=warn)',
    );
  });

  it('refuses a missing file by default', () => {
    const problems = findHistoryProblems([], [row('1-a.sql')]);

    expect(() => judgeHistory(problems, strict)).toThrow(
      'refused: 1-a.sql was applied but its file is gone ' +
        '(a file gone: restore it, or set BOOT_ON_MISSING_MIGRATION=warn)',
    );
  });

  it('only warns about changed and missing files when told to', () => {
    const problems = findHistoryProblems(
      [file('1-a.sql', 'new')],
      [row('1-a.sql', 'old'), row('0-z.sql')],
    );

    expect(judgeHistory(problems, lenient)).toEqual([
      '1-a.sql changed after it was applied: recorded sha256 old, file now new',
      '0-z.sql was applied but its file is gone',
    ]);
  });

  it('always refuses a new file that sorts before an applied one', () => {
    const problems = findHistoryProblems(
      [file('1-a.sql'), file('2-new.sql'), file('3-c.sql')],
      [row('1-a.sql'), row('3-c.sql')],
    );

    expect(() => judgeHistory(problems, lenient)).toThrow(
      'refused: 2-new.sql is new but sorts before 3-c.sql, which is applied ' +
        '(a file out of order: rename it so that it sorts last)',
    );
  });
});
