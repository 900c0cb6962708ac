import type { Knex } from 'knex';
import { hostname } from 'node:os';
import { HISTORY_SCHEMA } from '../migrations/history-table';

/** One step of a boot as the status shows it: its log summary and how long it took. */
export interface StepRecord {
  step: string;
  durationMs: number;
  summary: string;
}

export interface BootRecord {
  startedAt: Date;
  finishedAt: Date;
  outcome: 'ready' | 'plan-only' | 'failed';
  lockWaitMs: number | null;
  steps: StepRecord[];
  error: string | null;
  /** sha256 of the snapshot file the schema matched when the boot ended, if it applied one. */
  snapshotHash: string | null;
}

const BOOTS_TABLE = 'boots';

/**
 * Keeps what each boot did in db_boot.boots, for the status endpoint: which process, when, how
 * it ended, the lock wait and each step. Best effort: a boot whose database just went away
 * cannot record its failure, and that must not hide the failure itself.
 */
export async function recordBoot(knex: Knex, record: BootRecord): Promise<void> {
  await knex.raw(`CREATE SCHEMA IF NOT EXISTS ${HISTORY_SCHEMA}`);
  await knex.raw(`
    CREATE TABLE IF NOT EXISTS ${HISTORY_SCHEMA}.${BOOTS_TABLE} (
      id bigserial PRIMARY KEY,
      process text NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      outcome text NOT NULL,
      lock_wait_ms integer,
      steps jsonb NOT NULL,
      error text
    )`);
  // Tables made before the column existed (the first development builds) gain it here.
  await knex.raw(
    `ALTER TABLE ${HISTORY_SCHEMA}.${BOOTS_TABLE} ADD COLUMN IF NOT EXISTS snapshot_hash text`,
  );
  await knex
    .withSchema(HISTORY_SCHEMA)
    .insert({
      process: `${hostname()}:${process.pid}`,
      started_at: record.startedAt,
      finished_at: record.finishedAt,
      outcome: record.outcome,
      lock_wait_ms: record.lockWaitMs === null ? null : Math.round(record.lockWaitMs),
      steps: JSON.stringify(record.steps),
      error: record.error,
      snapshot_hash: record.snapshotHash,
    })
    .into(BOOTS_TABLE);
}

export interface LastBoot extends BootRecord {
  process: string;
}

/** When a boot last brought the schema to the snapshot file, and which version of the file. */
export interface SnapshotApplied {
  at: Date;
  hash: string;
}

export async function readLastBoot(knex: Knex): Promise<LastBoot | null> {
  if (!(await bootsTableExists(knex))) return null;

  const row = await knex
    .withSchema(HISTORY_SCHEMA)
    .select('*')
    .from(BOOTS_TABLE)
    .orderBy('id', 'desc')
    .first();
  if (row === undefined) return null;

  return {
    process: row.process,
    startedAt: new Date(row.started_at),
    finishedAt: new Date(row.finished_at),
    outcome: row.outcome,
    lockWaitMs: row.lock_wait_ms,
    steps: row.steps,
    error: row.error,
    snapshotHash: row.snapshot_hash,
  };
}

export async function readLastSnapshotApplied(knex: Knex): Promise<SnapshotApplied | null> {
  if (!(await bootsTableExists(knex))) return null;

  const row = await knex
    .withSchema(HISTORY_SCHEMA)
    .select('finished_at', 'snapshot_hash')
    .from(BOOTS_TABLE)
    .whereNotNull('snapshot_hash')
    .orderBy('id', 'desc')
    .first();

  return row === undefined ? null : { at: new Date(row.finished_at), hash: row.snapshot_hash };
}

async function bootsTableExists(knex: Knex): Promise<boolean> {
  const exists = await knex.raw<{ rows: { found: string | null }[] }>(
    'SELECT to_regclass(?) AS found',
    [`${HISTORY_SCHEMA}.${BOOTS_TABLE}`],
  );

  return exists.rows[0]?.found !== null;
}
