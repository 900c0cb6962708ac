/** Where in a migration file a failing statement, or the failing token in it, stands. */
export interface FileLocation {
  line: number;
  column: number;
}

/** What PostgreSQL tells of a failed statement (the fields of node-postgres' DatabaseError). */
export interface PostgresErrorFields {
  message: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

export function locationAt(text: string, offset: number): FileLocation {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;

  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * Where in the file an error points. PostgreSQL's `position` counts characters from 1 within
 * the text it was sent, which starts at `sentAt` in the file. An error raised while a statement
 * runs (a duplicate key, say) has none: then the statement sent, when there was one, else
 * nothing (a whole file was sent).
 */
export function failingOffset(
  error: PostgresErrorFields,
  sent: { offset: number; codeStart: number } | undefined,
): number | undefined {
  const position = Number(error.position);
  if (Number.isInteger(position) && position > 0) return (sent?.offset ?? 0) + position - 1;

  return sent === undefined ? undefined : sent.offset + sent.codeStart;
}

/** The cause as one line: PostgreSQL's message, then its detail and hint when it gives them. */
export function describePostgresError(error: PostgresErrorFields): string {
  const parts = [error.code ? `${error.message} (SQLSTATE ${error.code})` : error.message];
  if (error.detail) parts.push(`detail: ${error.detail}`);
  if (error.hint) parts.push(`hint: ${error.hint}`);
  if (error.where) parts.push(`where: ${error.where.replace(/\s+/g, ' ')}`);

  return parts.join('; ');
}

/**
 * The statement on one line, shortened, so that the log shows which statement it was without
 * flooding: a statement's first line alone is often just `INSERT INTO t`.
 */
export function statementExcerpt(statement: string, width = 80): string {
  const oneLine = statement.trim().replace(/\s+/g, ' ');

  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}
