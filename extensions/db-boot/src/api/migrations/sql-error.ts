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
 * The file location of a statement's error. PostgreSQL's `position` counts characters from
 * 1 within the statement it was sent; without one (an error raised at run time, such as a
 * unique violation), the statement's own start is the best place to point at.
 */
export function errorLocation(
  fileText: string,
  statementOffset: number,
  error: PostgresErrorFields,
): FileLocation {
  const position = Number(error.position);
  const withinStatement = Number.isInteger(position) && position > 0 ? position - 1 : 0;

  return locationAt(fileText, statementOffset + withinStatement);
}

/** The cause as one line: PostgreSQL's message, then its detail and hint when it gives them. */
export function describePostgresError(error: PostgresErrorFields): string {
  const parts = [error.code ? `${error.message} (SQLSTATE ${error.code})` : error.message];
  if (error.detail) parts.push(`detail: ${error.detail}`);
  if (error.hint) parts.push(`hint: ${error.hint}`);
  if (error.where) parts.push(`where: ${error.where.replace(/\s+/g, ' ')}`);

  return parts.join('; ');
}

/** The statement's first line, shortened, so the log shows which statement without flooding. */
export function statementExcerpt(statement: string, width = 80): string {
  const firstLine = statement.trim().split('\n')[0]!.trim();

  return firstLine.length > width ? `${firstLine.slice(0, width - 1)}…` : firstLine;
}
