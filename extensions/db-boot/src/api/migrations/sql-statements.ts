import { postgreSplitterOptions, splitQuery } from 'dbgate-query-splitter';
import type { SplitResultItemRich } from 'dbgate-query-splitter/lib/splitQuery';

export interface SqlStatement {
  text: string;
  /** Where the statement starts in the file, in characters. */
  offset: number;
}

/** The header line that runs a file outside a transaction, for statements that refuse one. */
export const NO_TRANSACTION_HEADER = '-- db-init: no-transaction';

/**
 * Whether the file opts out of the migration transaction: the header must stand in the
 * comment block that opens the file, so a commented-out statement further down cannot
 * change how the whole file runs.
 */
export function runsInTransaction(text: string): boolean {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('--')) return true;
    if (trimmed.toLowerCase() === NO_TRANSACTION_HEADER) return false;
  }

  return true;
}

/**
 * Splits a file into statements, each sent on its own: PostgreSQL runs a multi-statement
 * string as one implicit transaction, where CREATE INDEX CONCURRENTLY is refused, and reports
 * error positions per statement, which the offsets turn back into file lines. Dollar-quoted
 * bodies, quoted strings and comments are kept whole.
 */
export function splitStatements(text: string): SqlStatement[] {
  const parts = splitQuery(text, {
    ...postgreSplitterOptions,
    returnRichInfo: true,
  }) as SplitResultItemRich[];

  return parts
    .map((part) => ({ text: part.text, offset: part.trimStart?.position ?? part.start.position }))
    .filter((statement) => !isOnlyComments(statement.text));
}

function isOnlyComments(statement: string): boolean {
  return statement
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .every((line) => line.trim() === '' || line.trim().startsWith('--'));
}
