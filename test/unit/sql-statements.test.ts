import { describe, expect, it } from 'vitest';
import {
  codeStart,
  runsInTransaction,
  splitStatements,
  statementAt,
} from '../../extensions/db-boot/src/api/migrations/sql-statements';

describe('the no-transaction header', () => {
  it.each([
    ['-- db-init: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);', false],
    ['-- A comment first\n\n-- db-init: no-transaction\nSELECT 1;', false],
    ['SELECT 1;\n-- db-init: no-transaction\n', true],
    ['-- db-init: no transaction\nSELECT 1;', true],
    ['SELECT 1;', true],
    ['/* notes\n  more */\n-- db-init: no-transaction\nSELECT 1;', false],
  ])('%j runs in a transaction: %s', (text, expected) => {
    expect(runsInTransaction(text)).toBe(expected);
  });
});

describe('splitting a file into statements', () => {
  it('keeps dollar-quoted bodies with semicolons whole and records where each starts', () => {
    const text = [
      'CREATE TABLE a (id int);',
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$',
      'BEGIN',
      "  PERFORM 1; RETURN 'x;y'::text::int;",
      'END;',
      '$body$;',
      'INSERT INTO a VALUES (1); -- trailing comment',
    ].join('\n');

    const statements = splitStatements(text);

    expect(statements.map((statement) => statement.text.split('\n')[0])).toEqual([
      'CREATE TABLE a (id int)',
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$',
      'INSERT INTO a VALUES (1)',
    ]);
    for (const statement of statements) {
      expect(text.slice(statement.offset, statement.offset + statement.text.length)).toBe(
        statement.text,
      );
    }
  });

  it('leaves out comment-only chunks, such as a closing comment', () => {
    expect(splitStatements('SELECT 1;\n-- the end\n/* really */\n')).toHaveLength(1);
  });

  it('keeps a jsonb ? operator as it is', () => {
    expect(splitStatements("SELECT '{\"a\":1}'::jsonb ? 'a';")[0]!.text).toContain("? 'a'");
  });
});

describe('finding the failing statement', () => {
  const text = 'SELECT 1;\n-- why\nSELECT x\n  FROM t;\n';

  it('finds the statement around a position of the file', () => {
    expect(statementAt(text, text.indexOf('FROM'))!.text).toContain('SELECT x');
    expect(statementAt(text, 0)!.text).toBe('SELECT 1');
  });

  it('skips the comments that lead a statement', () => {
    expect(codeStart('-- a\n/* b */ SELECT 1')).toBe('-- a\n/* b */ '.length);
    expect(codeStart('-- only a comment')).toBeUndefined();
  });
});
