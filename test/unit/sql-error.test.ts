import { describe, expect, it } from 'vitest';
import {
  describePostgresError,
  errorLocation,
  locationAt,
  statementExcerpt,
} from '../../extensions/db-boot/src/api/migrations/sql-error';

describe('locating a failing statement in its file', () => {
  const file = 'SELECT 1;\n\nINSERT INTO t\nSELECT x FROM nowhere;\n';
  const statementOffset = file.indexOf('INSERT');

  it('turns the position PostgreSQL reports within a statement into a file line and column', () => {
    const position = 'INSERT INTO t\nSELECT x FROM '.length + 1;

    expect(
      errorLocation(file, statementOffset, { message: 'x', position: String(position) }),
    ).toEqual({
      line: 4,
      column: 15,
    });
  });

  it('points at the statement when PostgreSQL gives no position', () => {
    expect(errorLocation(file, statementOffset, { message: 'duplicate key' })).toEqual({
      line: 3,
      column: 1,
    });
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

  it('shows a statement by its first line, shortened', () => {
    expect(statementExcerpt('  SELECT a,\n b FROM t')).toBe('SELECT a,');
    expect(statementExcerpt('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
  });
});
