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
 * Whether the file opts out of the migration transaction: the header must stand among the
 * comments that open the file, so a commented-out line further down cannot change how the
 * whole file runs.
 */
export function runsInTransaction(text: string): boolean {
  let rest = text;

  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('/*')) {
      const end = rest.indexOf('*/');
      if (end === -1) return true;
      rest = rest.slice(end + 2);
    } else if (rest.startsWith('--')) {
      const end = rest.indexOf('\n');
      const line = (end === -1 ? rest : rest.slice(0, end)).trim();
      if (line.toLowerCase() === NO_TRANSACTION_HEADER) return false;
      rest = end === -1 ? '' : rest.slice(end + 1);
    } else {
      return true;
    }
  }
}

/**
 * Splits a file into statements with dbgate-query-splitter, keeping dollar-quoted bodies,
 * quoted strings and comments whole. Only files outside a transaction are run this way (see
 * `start-migration.ts`): the splitter does not know every PostgreSQL construct (BEGIN ATOMIC
 * bodies, rules with several actions, nested comments), so the rest go to PostgreSQL whole.
 */
export function splitStatements(text: string): SqlStatement[] {
  const parts = splitQuery(text, {
    ...postgreSplitterOptions,
    returnRichInfo: true,
  }) as SplitResultItemRich[];

  return parts
    .map((part) => ({ text: part.text, offset: part.trimStart?.position ?? part.start.position }))
    .filter((statement) => codeStart(statement.text) !== undefined);
}

/** The statement around a position of the file, to show which one failed. */
export function statementAt(text: string, offset: number): SqlStatement | undefined {
  return splitStatements(text)
    .filter((statement) => statement.offset <= offset)
    .at(-1);
}

/** Where the code of a statement starts, after the comments that lead it; none if all comment. */
export function codeStart(statement: string): number | undefined {
  const match = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(statement);
  const start = match?.[0].length ?? 0;

  return start < statement.length ? start : undefined;
}
