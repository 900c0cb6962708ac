import { describe, expect, it } from 'vitest';
import {
  describePostgresError,
  failingOffset,
  locationAt,
  statementExcerpt,
} from '../../extensions/db-boot/src/api/migrations/sql-error';

describe('locating a failing statement in its file', () => {
  const file = 'SELECT 1;\n\nINSERT INTO t\nSELECT x FROM nowhere;\n';
  const statementOffset = file.indexOf('INSERT');

  it('turns the position PostgreSQL reports within what it was sent into a file offset', () => {
    const position = 'INSERT INTO t\nSELECT x FROM '.length + 1;
    const sent = { offset: statementOffset, codeStart: 0 };

    expect(
      locationAt(file, failingOffset({ message: 'x', position: String(position) }, sent)!),
    ).toEqual({ line: 4, column: 15 });
  });

  it('counts a position from the start of the file when the whole file was sent', () => {
    expect(failingOffset({ message: 'x', position: '12' }, undefined)).toBe(11);
  });

  it('points at the code of the statement sent when PostgreSQL gives no position', () => {
    const sent = { offset: 0, codeStart: 10 };

    expect(locationAt(file, failingOffset({ message: 'duplicate key' }, sent)!)).toEqual({
      line: 2,
      column: 1,
    });
  });

  it('knows no place for a whole file that failed while it ran', () => {
    expect(failingOffset({ message: 'duplicate key' }, undefined)).toBeUndefined();
  });

  it('counts lines and columns from 1', () => {
    expect(locationAt('abc', 0)).toEqual({ line: 1, column: 1 });
  });
});

describe('describing a PostgreSQL error', () => {
  it('keeps the message, SQLSTATE, detail, hint and context on one line', () => {
    expect(
      describePostgresError({
        message: 'boom',
        code: 'P0001',
        detail: 'because',
        hint: 'fix it',
        where: 'PL/pgSQL function inline_code_block\nline 3 at RAISE',
      }),
    ).toBe(
      'boom (SQLSTATE P0001); detail: because; hint: fix it; ' +
        'where: PL/pgSQL function inline_code_block line 3 at RAISE',
    );
  });

  it('shows a statement on one line, shortened', () => {
    expect(statementExcerpt('  SELECT a,\n    b FROM t')).toBe('SELECT a, b FROM t');
    expect(statementExcerpt('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
  });
});
