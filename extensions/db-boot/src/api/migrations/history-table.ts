import type { Knex } from 'knex';
import { BootError } from '../common/boot-error';
import { describePostgresError, type PostgresErrorFields } from './sql-error';

/**
 * The history lives in a PostgreSQL schema of its own: Directus reads only its search path
 * (public), so the table never shows up as a collection, in a snapshot, or in a diff.
 */
export const HISTORY_SCHEMA = 'db_boot';
export const HISTORY_TABLE = 'migrations';
export const HISTORY_QUALIFIED = `${HISTORY_SCHEMA}.${HISTORY_TABLE}`;

export interface HistoryRow {
  name: string;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
}

/** Runs under the boot lock, so two processes never race to create it. */
export async function ensureHistoryTable(knex: Knex): Promise<void> {
  await knex.raw(`CREATE SCHEMA IF NOT EXISTS ${HISTORY_SCHEMA}`);
  await knex.raw(`
    CREATE TABLE IF NOT EXISTS ${HISTORY_QUALIFIED} (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      duration_ms integer NOT NULL
    )`);
}

export async function readHistory(knex: Knex): Promise<HistoryRow[]> {
  const exists = await knex.raw<{ rows: { found: string | null }[] }>(
    'SELECT to_regclass(?) AS found',
    [HISTORY_QUALIFIED],
  );
  if (exists.rows[0]?.found === null) return [];

  const rows = await knex
    .withSchema(HISTORY_SCHEMA)
    .select('name', 'checksum', 'applied_at', 'duration_ms')
    .from(HISTORY_TABLE)
    .orderBy([{ column: 'applied_at' }, { column: 'name' }]);

  return rows.map((row) => ({
    name: row.name,
    checksum: row.checksum,
    appliedAt: new Date(row.applied_at),
    durationMs: row.duration_ms,
  }));
}

/** The statement that records a migration on a raw connection, bound with `historyValues`. */
export const INSERT_HISTORY_SQL =
  `INSERT INTO ${HISTORY_QUALIFIED} (name, checksum, duration_ms) ` + 'VALUES ($1, $2, $3)';

export function historyRow(file: { name: string; checksum: string }, durationMs: number) {
  return { name: file.name, checksum: file.checksum, duration_ms: durationMs };
}

export function historyValues(file: { name: string; checksum: string }, durationMs: number) {
  return Object.values(historyRow(file, durationMs));
}

export function historyFailure(file: { name: string; path: string }, error: unknown): BootError {
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
