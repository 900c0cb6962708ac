import type { Knex } from 'knex';
import { readLastBoot, readLastSnapshotApplied, type LastBoot } from '../boot/boot-record';
import type { BootSettings } from '../config/read-settings';
import { readLockHolder, type LockHolder } from '../lock/advisory-lock';
import { redactSecrets } from '../common/redact-secrets';
import { findHistoryProblems, judgeHistoryProblems } from '../migrations/check-history';
import {
  findMigrations,
  UNREADABLE_FOLDER,
  type MigrationFile,
} from '../migrations/find-migrations';
import { readHistory, type HistoryRow } from '../migrations/history-table';
import { compareNatural } from '../migrations/natural-order';
import { unloadableScripts } from '../migrations/script-migration';
import {
  BOOT_ACCOUNTABILITY,
  diffSnapshot,
  type SchemaServiceClass,
} from '../snapshot/apply-snapshot';
import { destructiveChanges, destructiveRefusal } from '../snapshot/destructive-changes';
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
  /** Files and history rows, in the order the files run. */
  migrations: MigrationStatus[];
  snapshot: SnapshotStatus;
  /**
   * What the next boot, with this process's settings, would refuse, worded as its failure
   * line would be; empty when it would pass.
   */
  refusals: string[];
  /** The latest boot of any process on this database, null before the first one. */
  lastBoot: LastBoot | null;
  /**
   * Who holds the boot lock now (a boot under way elsewhere, or `db-boot accept`), null when
   * it is free: while it is held, what this status shows may be about to change.
   */
  lockHolder: LockHolder | null;
}

/**
 * What the boot would find now, read without writing anything: each migration's state and the
 * live schema's drift from the snapshot file. For the endpoint (and later the panel and CLI).
 */
export async function readStatus(options: {
  knex: Knex;
  SchemaService: SchemaServiceClass;
  settings: BootSettings;
  /** Directus's environment, whose secret values never leave in an error's text. */
  env: Record<string, unknown>;
}): Promise<BootStatus> {
  const [migrations, { snapshot, snapshotRefusals }, lastBoot, lockHolder] = await Promise.all([
    migrationStatus(options.knex, options.settings),
    snapshotStatus(options),
    readLastBoot(options.knex),
    readLockHolder(options.knex),
  ]);

  // A script's import error or a snapshot's parse error can quote a password, as a boot's can.
  const redact = (text: string) => redactSecrets(text, options.env);

  return {
    migrations: migrations.list,
    snapshot:
      snapshot.error === undefined ? snapshot : { ...snapshot, error: redact(snapshot.error) },
    refusals: [...migrations.refusals, ...snapshotRefusals].map(redact),
    lastBoot,
    lockHolder,
  };
}

async function migrationStatus(knex: Knex, settings: BootSettings) {
  const history = await readHistory(knex);
  let files: MigrationFile[];
  try {
    files = await findMigrations(settings.migrationsPath);
  } catch (error) {
    // A folder the boot refuses (a stray file, a name clash) is news for the status, not a
    // reason to fail the request: the history is still worth showing. When the folder cannot
    // be read at all, no applied file is there any more.
    const unreadable = (error as Error).message.startsWith(UNREADABLE_FOLDER);
    const state: MigrationState = unreadable ? 'missing' : 'applied';

    return {
      list: history.map((row) => ({ ...historyOnly(row), state })),
      refusals: [`db-init: ${(error as Error).message}`],
    };
  }

  const problems = findHistoryProblems(files, history);
  const changed = new Map(problems.changed.map((change) => [change.name, change]));
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
    .map((row): MigrationStatus => ({ ...historyOnly(row), state: 'missing' }));
  const verdict = judgeHistoryProblems(problems, settings);
  const unloadable = await unloadableScripts(files.filter((file) => !rows.has(file.name)));

  return {
    list: [...fromFiles, ...missing].sort((a, b) => compareNatural(a.name, b.name)),
    refusals: [
      ...(verdict.refusals.length === 0
        ? []
        : [`db-init: refused: ${verdict.refusals.join('; ')} (${verdict.remedy})`]),
      ...unloadable.map((error) => `db-init: ${error.message}`),
    ],
  };
}

/** A history row as the status shows it when its file is not (or cannot be) looked at. */
function historyOnly(row: HistoryRow): MigrationStatus {
  return {
    name: row.name,
    state: 'applied',
    appliedAt: row.appliedAt.toISOString(),
    durationMs: row.durationMs,
    checksum: row.checksum,
  };
}

async function snapshotStatus(options: {
  knex: Knex;
  SchemaService: SchemaServiceClass;
  settings: BootSettings;
}): Promise<{ snapshot: SnapshotStatus; snapshotRefusals: string[] }> {
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
    const diff = await diffSnapshot(service, snapshot, current, {
      path: file,
      force: options.settings.snapshotForce,
    });
    const drops =
      diff === null || options.settings.allowDestructive ? [] : destructiveChanges(diff);

    return {
      snapshot: { file, hash, lastApplied, drift: diff === null ? [] : planLines(diff) },
      snapshotRefusals: drops.length === 0 ? [] : [`schema: ${destructiveRefusal(file, drops)}`],
    };
  } catch (error) {
    const message = (error as Error).message;

    return {
      snapshot: { file, hash: null, lastApplied, drift: [], error: message },
      snapshotRefusals: [`schema: ${message}`],
    };
  }
}
