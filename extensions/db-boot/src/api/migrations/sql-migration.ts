import type { Knex } from 'knex';
import { BootError } from '../common/boot-error';
import {
  closeRawConnection,
  openRawConnection,
  type RawConnection,
} from '../database/raw-connection';
import type { MigrationFile } from './find-migrations';
import { historyFailure, historyValues, INSERT_HISTORY_SQL } from './history-table';
import {
  describePostgresError,
  failingOffset,
  locationAt,
  statementExcerpt,
  type PostgresErrorFields,
} from './sql-error';
import {
  codeStart,
  NO_TRANSACTION_HEADER,
  runsInTransaction,
  splitStatements,
  statementAt,
  type SqlStatement,
} from './sql-statements';
import type { StartedMigration } from './started-migration';

/** PostgreSQL's SQLSTATE for "cannot run inside a transaction block". */
const ACTIVE_SQL_TRANSACTION = '25001';

/** A transaction-local setting: it vanishes when the file's own COMMIT ends our transaction. */
const MARKER = 'db_boot.migration_transaction';

/**
 * Runs a .sql migration on a connection of its own, through node-postgres directly: knex would
 * rewrite every `?` (a jsonb operator) into a parameter. A file in a transaction is sent whole,
 * so PostgreSQL parses it, every construct included, and reports error positions in file
 * coordinates. A no-transaction file must be split, since PostgreSQL runs a multi-statement
 * string as one implicit transaction, which CREATE INDEX CONCURRENTLY refuses.
 */
export async function startSqlMigration(
  knex: Knex,
  file: MigrationFile,
): Promise<StartedMigration> {
  const inTransaction = runsInTransaction(file.text);
  const connection = await openRawConnection(knex);
  const started = performance.now();

  try {
    if (inTransaction) await runInTransaction(connection, file);
    else await runStatementByStatement(connection, file);
  } catch (error) {
    await abandon(knex, connection, inTransaction);
    throw error;
  }

  return {
    inTransaction,
    async record() {
      const durationMs = Math.round(performance.now() - started);

      try {
        await connection.query(INSERT_HISTORY_SQL, historyValues(file, durationMs));
        if (inTransaction) await connection.query('COMMIT');
      } catch (error) {
        await abandon(knex, connection, inTransaction);
        throw historyFailure(file, error);
      }
      await closeRawConnection(knex, connection);

      return durationMs;
    },
  };
}

async function runInTransaction(connection: RawConnection, file: MigrationFile): Promise<void> {
  await connection.query('BEGIN');
  await connection.query(`SELECT set_config('${MARKER}', 'open', true)`);

  try {
    await connection.query(file.text);
  } catch (error) {
    const endedEarly = await transactionEnded(connection);
    throw sqlFailure(file, error as PostgresErrorFields, { endedEarly });
  }

  if (await transactionEnded(connection)) {
    throw new BootError(
      'db-init',
      `${file.name}: ends the transaction it runs in (a COMMIT, ROLLBACK or END of its own): ` +
        'what ran before that is committed and the file is not recorded; remove the ' +
        `transaction control, or mark the file "${NO_TRANSACTION_HEADER}"`,
      { file: file.path },
    );
  }
}

/** Whether the file ended our transaction: the marker is gone (an aborted one still has it). */
async function transactionEnded(connection: RawConnection): Promise<boolean> {
  try {
    const result = await connection.query(`SELECT current_setting('${MARKER}', true) AS value`);

    return result.rows[0]?.['value'] !== 'open';
  } catch {
    return false;
  }
}

async function runStatementByStatement(connection: RawConnection, file: MigrationFile) {
  for (const [index, statement] of splitStatements(file.text).entries()) {
    try {
      await connection.query(statement.text);
    } catch (error) {
      throw sqlFailure(file, error as PostgresErrorFields, { statement, committedBefore: index });
    }
  }
}

async function abandon(knex: Knex, connection: RawConnection, inTransaction: boolean) {
  if (inTransaction) await connection.query('ROLLBACK').catch(() => undefined);
  await closeRawConnection(knex, connection);
}

interface FailureContext {
  /** The statement that was sent, when the file was sent statement by statement. */
  statement?: SqlStatement;
  committedBefore?: number;
  endedEarly?: boolean;
}

/** `file:line:column: cause (statement: its first line)`, as much of it as is known. */
function sqlFailure(
  file: MigrationFile,
  error: PostgresErrorFields,
  context: FailureContext,
): BootError {
  const sent = context.statement && {
    offset: context.statement.offset,
    codeStart: codeStart(context.statement.text) ?? 0,
  };
  const offset = failingOffset(error, sent);
  const statement =
    context.statement ?? (offset === undefined ? undefined : statementAt(file.text, offset));
  const location = offset === undefined ? undefined : locationAt(file.text, offset);

  const parts = [describePostgresError(error)];
  if (error.code === ACTIVE_SQL_TRANSACTION) {
    parts.push(`put "${NO_TRANSACTION_HEADER}" at the top of the file to run it outside one`);
  }
  if (context.endedEarly) {
    parts.push('the file ended its own transaction before this, so what ran until then stays');
  }
  if ((context.committedBefore ?? 0) > 0) {
    parts.push(
      `the file runs outside a transaction: its first ${context.committedBefore} statement(s) stay`,
    );
  }

  const where = location ? `:${location.line}:${location.column}` : '';
  const code = statement?.text.slice(codeStart(statement.text) ?? 0);
  const excerpt = code ? ` (statement: ${statementExcerpt(code)})` : '';

  return new BootError('db-init', `${file.name}${where}: ${parts.join('; ')}${excerpt}`, {
    file: file.path,
    cause: error,
  });
}
