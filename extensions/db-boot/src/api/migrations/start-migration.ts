import type { Knex } from 'knex';
import { pathToFileURL } from 'node:url';
import { BootError } from '../common/boot-error';
import {
  closeRawConnection,
  openRawConnection,
  type RawConnection,
} from '../database/raw-connection';
import type { MigrationFile } from './find-migrations';
import {
  HISTORY_QUALIFIED,
  HISTORY_SCHEMA,
  HISTORY_TABLE,
  historyRow,
  historyValues,
  INSERT_HISTORY_SQL,
} from './history-table';
import {
  describePostgresError,
  errorLocation,
  statementExcerpt,
  type PostgresErrorFields,
} from './sql-error';
import { NO_TRANSACTION_HEADER, runsInTransaction, splitStatements } from './sql-statements';

/**
 * A migration whose work is done but not yet committed. umzug runs `up`, then asks its storage
 * to log the migration: `record` writes the history row in the migration's own transaction and
 * commits both, so a migration and its row exist together or not at all.
 */
export interface StartedMigration {
  inTransaction: boolean;
  /** Commits the work with its history row; resolves to the migration's duration in ms. */
  record(): Promise<number>;
}

/** PostgreSQL's SQLSTATE for "cannot run inside a transaction block". */
const ACTIVE_SQL_TRANSACTION = '25001';

export async function startMigration(knex: Knex, file: MigrationFile): Promise<StartedMigration> {
  return file.kind === 'sql' ? startSqlMigration(knex, file) : startScriptMigration(knex, file);
}

/**
 * SQL runs on a connection of its own, statement by statement (see `splitStatements`), through
 * node-postgres directly: knex would rewrite every `?` (a jsonb operator) into a parameter.
 */
async function startSqlMigration(knex: Knex, file: MigrationFile): Promise<StartedMigration> {
  const inTransaction = runsInTransaction(file.text);
  const statements = splitStatements(file.text);
  const connection = await openRawConnection(knex);
  const started = performance.now();

  try {
    if (inTransaction) await connection.query('BEGIN');

    for (const [index, statement] of statements.entries()) {
      try {
        await connection.query(statement.text);
      } catch (error) {
        throw sqlFailure(file, statement, error as PostgresErrorFields, {
          inTransaction,
          committedBefore: index,
        });
      }
    }
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

async function abandon(knex: Knex, connection: RawConnection, inTransaction: boolean) {
  if (inTransaction) await connection.query('ROLLBACK').catch(() => undefined);
  await closeRawConnection(knex, connection);
}

function sqlFailure(
  file: MigrationFile,
  statement: { text: string; offset: number },
  error: PostgresErrorFields,
  context: { inTransaction: boolean; committedBefore: number },
): BootError {
  const { line, column } = errorLocation(file.text, statement.offset, error);
  let cause = describePostgresError(error);

  if (error.code === ACTIVE_SQL_TRANSACTION) {
    cause += `; put "${NO_TRANSACTION_HEADER}" at the top of the file to run it outside one`;
  }

  if (!context.inTransaction && context.committedBefore > 0) {
    cause +=
      '; the file runs outside a transaction: ' +
      `its first ${context.committedBefore} statement(s) stay committed`;
  }

  return new BootError(
    'db-init',
    `${file.name}:${line}:${column}: ${cause} (statement: ${statementExcerpt(statement.text)})`,
    { file: file.path, cause: error },
  );
}

function historyFailure(file: MigrationFile, error: unknown): BootError {
  const cause = describePostgresError(error as PostgresErrorFields);

  return new BootError(
    'db-init',
    `${file.name}: recording it in ${HISTORY_QUALIFIED} failed: ${cause}`,
    {
      file: file.path,
      cause: error,
    },
  );
}

interface ScriptModule {
  up?: (knex: Knex) => unknown;
  transaction?: boolean;
}

/**
 * A .ts/.js migration exports `up(knex)`, and `transaction = false` to run outside one. Inside
 * a transaction it is handed the transaction, whose history row commits with its work.
 */
async function startScriptMigration(knex: Knex, file: MigrationFile): Promise<StartedMigration> {
  const module = await importScript(file);
  const up = module.up;

  if (typeof up !== 'function') {
    throw new BootError('db-init', `${file.name}: exports no up(knex) function`, {
      file: file.path,
    });
  }

  const inTransaction = module.transaction !== false;
  const runner = inTransaction ? await knex.transaction() : knex;
  const started = performance.now();

  try {
    await up(runner);
  } catch (error) {
    if (inTransaction) await (runner as Knex.Transaction).rollback().catch(() => undefined);
    throw new BootError('db-init', `${file.name}: up() failed: ${describeError(error)}`, {
      file: file.path,
      cause: error,
    });
  }

  return {
    inTransaction,
    async record() {
      const durationMs = Math.round(performance.now() - started);

      try {
        await runner
          .withSchema(HISTORY_SCHEMA)
          .insert(historyRow(file, durationMs))
          .into(HISTORY_TABLE);
        if (inTransaction) await (runner as Knex.Transaction).commit();
      } catch (error) {
        if (inTransaction) await (runner as Knex.Transaction).rollback().catch(() => undefined);
        throw historyFailure(file, error);
      }

      return durationMs;
    },
  };
}

async function importScript(file: MigrationFile): Promise<ScriptModule> {
  try {
    return (await import(pathToFileURL(file.path).href)) as ScriptModule;
  } catch (error) {
    throw new BootError('db-init', `${file.name}: cannot be loaded: ${describeError(error)}`, {
      file: file.path,
      cause: error,
    });
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
