import type { Knex } from 'knex';
import { BootError } from '../common/boot-error';
import { findMigrations } from './find-migrations';
import { ensureHistoryTable, HISTORY_SCHEMA, HISTORY_TABLE, readHistory } from './history-table';
import { compareNatural } from './natural-order';

/**
 * Accepts a reviewed change of an applied migration: its history row takes the file's current
 * checksum, so boots stop refusing it. The file is not run again. Returns both checksums.
 */
export async function acceptChecksum(knex: Knex, folder: string, name: string) {
  const file = (await findMigrations(folder)).find((candidate) => candidate.name === name);
  const row = (await readHistory(knex)).find((candidate) => candidate.name === name);
  if (file === undefined || row === undefined) {
    throw new BootError('db-init', `${name} is not an applied migration with a file in ${folder}`);
  }
  if (file.checksum === row.checksum) {
    throw new BootError(
      'db-init',
      `${name} has not changed since it was applied: nothing to accept`,
    );
  }

  await knex
    .withSchema(HISTORY_SCHEMA)
    .table(HISTORY_TABLE)
    .where({ name })
    .update({ checksum: file.checksum });

  return { recorded: row.checksum, accepted: file.checksum };
}

/**
 * Adopts a database whose migrations another tool applied: every migration up to and
 * including `upTo` that has no history row gets one, without running it (duration 0).
 * Returns the names recorded.
 */
export async function recordBaseline(knex: Knex, folder: string, upTo: string) {
  const files = await findMigrations(folder);
  if (!files.some((file) => file.name === upTo)) {
    throw new BootError('db-init', `${upTo} is not a migration in ${folder}`);
  }

  await ensureHistoryTable(knex);
  const applied = new Set((await readHistory(knex)).map((row) => row.name));
  const adopted = files.filter(
    (file) => compareNatural(file.name, upTo) <= 0 && !applied.has(file.name),
  );
  if (adopted.length > 0) {
    await knex
      .withSchema(HISTORY_SCHEMA)
      .insert(adopted.map((file) => ({ name: file.name, checksum: file.checksum, duration_ms: 0 })))
      .into(HISTORY_TABLE);
  }

  return adopted.map((file) => file.name);
}
