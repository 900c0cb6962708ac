import type { Knex } from 'knex';
import { readLastBoot, readLastSnapshotApplied, type LastBoot } from '../boot/boot-record';
import type { BootSettings } from '../config/read-settings';
import { findHistoryProblems } from '../migrations/check-history';
import { findMigrations } from '../migrations/find-migrations';
import { readHistory } from '../migrations/history-table';
import {
  BOOT_ACCOUNTABILITY,
  type SchemaServiceClass,
  withSystemFields,
} from '../snapshot/apply-snapshot';
import { planLines } from '../snapshot/plan-text';
import { readSnapshot } from '../snapshot/read-snapshot';

export type MigrationState = 'applied' | 'pending' | 'changed' | 'missing';

export interface MigrationStatus {
  name: string;
  state: MigrationState;
  appliedAt: string | null;
  durationMs: number | null;
  /** The file's checksum, or the recorded one when the file is gone. */
  checksum: string;
  /** The checksum recorded when it was applied, when it differs from the file's. */
  recordedChecksum?: string;
}

export interface SnapshotStatus {
  file: string;
  /** sha256 of the file's text, to tell which version of it an environment runs. */
  hash: string | null;
  /** When a boot last brought the schema to the file, and the file's hash then. */
  lastApplied: { at: string; hash: string } | null;
  /** One plan line per difference between the live schema and the file; empty when in sync. */
  drift: string[];
  /** Why the drift could not be computed (an unreadable file, a refused snapshot). */
  error?: string;
}

export interface BootStatus {
  migrations: MigrationStatus[];
  snapshot: SnapshotStatus;
  /** The latest boot of any process on this database, null before the first one. */
  lastBoot: LastBoot | null;
}

/**
 * What the boot would find now, read without writing anything: each migration's state and the
 * live schema's drift from the snapshot file. For the endpoint (and later the panel and CLI).
 */
export async function readStatus(options: {
  knex: Knex;
  SchemaService: SchemaServiceClass;
  settings: BootSettings;
}): Promise<BootStatus> {
  const [migrations, snapshot, lastBoot] = await Promise.all([
    migrationStatus(options.knex, options.settings.migrationsPath),
    snapshotStatus(options),
    readLastBoot(options.knex),
  ]);

  return { migrations, snapshot, lastBoot };
}

async function migrationStatus(knex: Knex, folder: string): Promise<MigrationStatus[]> {
  const [files, history] = await Promise.all([findMigrations(folder), readHistory(knex)]);
  const changed = new Map(
    findHistoryProblems(files, history).changed.map((change) => [change.name, change]),
  );
  const rows = new Map(history.map((row) => [row.name, row]));

  const fromFiles = files.map((file): MigrationStatus => {
    const row = rows.get(file.name);
    const change = changed.get(file.name);

    return {
      name: file.name,
      state: row === undefined ? 'pending' : change ? 'changed' : 'applied',
      appliedAt: row?.appliedAt.toISOString() ?? null,
      durationMs: row?.durationMs ?? null,
      checksum: file.checksum,
      ...(change && { recordedChecksum: change.recorded }),
    };
  });
  const fileNames = new Set(files.map((file) => file.name));
  const missing = history
    .filter((row) => !fileNames.has(row.name))
    .map((row): MigrationStatus => ({
      name: row.name,
      state: 'missing',
      appliedAt: row.appliedAt.toISOString(),
      durationMs: row.durationMs,
      checksum: row.checksum,
    }));

  return [...fromFiles, ...missing];
}

async function snapshotStatus(options: {
  knex: Knex;
  SchemaService: SchemaServiceClass;
  settings: BootSettings;
}): Promise<SnapshotStatus> {
  const file = options.settings.snapshotPath;
  const applied = await readLastSnapshotApplied(options.knex);
  const lastApplied = applied && { at: applied.at.toISOString(), hash: applied.hash };

  try {
    const { snapshot, hash } = await readSnapshot(file);
    const service = new options.SchemaService({
      knex: options.knex,
      accountability: BOOT_ACCOUNTABILITY,
    });
    const current = await service.snapshot();
    const diff = await service.diff(withSystemFields(snapshot, current.systemFields), {
      currentSnapshot: current,
      force: options.settings.snapshotForce,
    });

    return { file, hash, lastApplied, drift: diff === null ? [] : planLines(diff) };
  } catch (error) {
    return { file, hash: null, lastApplied, drift: [], error: (error as Error).message };
  }
}
