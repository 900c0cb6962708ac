import type { Knex } from 'knex';
import { Umzug, type UmzugStorage } from 'umzug';
import { BootError } from '../common/boot-error';
import { seconds } from '../common/seconds';
import { findHistoryProblems, judgeHistory, type HistoryPolicy } from './check-history';
import { findMigrations, type MigrationFile } from './find-migrations';
import { ensureHistoryTable, readHistory } from './history-table';
import { unloadableScripts } from './script-migration';
import { startMigration, type StartedMigration } from './start-migration';

export interface MigrationLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface MigrationOutcome {
  applied: string[];
  skipped: number;
  /** Pending migrations, when the run only planned. */
  pending: string[];
}

export interface RunMigrationsOptions extends HistoryPolicy {
  knex: Knex;
  folder: string;
  planOnly: boolean;
  logger: MigrationLogger;
}

/**
 * Applies the pending migrations of a folder in order, through umzug. Must run under the boot
 * lock. The history is checked first (changed, missing and out-of-order files), so a refusal
 * comes before anything is applied.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<MigrationOutcome> {
  const { knex, logger } = options;
  const files = await findMigrations(options.folder);

  if (!options.planOnly) await ensureHistoryTable(knex);
  const history = await readHistory(knex);

  for (const warning of judgeHistory(findHistoryProblems(files, history), options)) {
    logger.warn(`db-init: ${warning}`);
  }

  const applied = new Set(history.map((row) => row.name));
  const pendingFiles = files.filter((file) => !applied.has(file.name));
  const pending = pendingFiles.map((file) => file.name);
  const skipped = files.length - pending.length;

  // A script that cannot load would stop the run halfway, after the files before it.
  const unloadable = await unloadableScripts(pendingFiles);
  if (unloadable.length > 0) {
    const reasons = unloadable.map((error) => error.message).join('; ');
    if (!options.planOnly) {
      throw new BootError('db-init', `${reasons} (nothing applied)`, {
        file: unloadable[0]!.file,
        cause: unloadable[0],
      });
    }
    logger.warn(`db-init: (plan only) a real boot would refuse: ${reasons}`);
  }

  if (options.planOnly) {
    for (const name of pending) logger.info(`db-init: would apply ${name}`);

    return { applied: [], skipped, pending };
  }

  const durations = new Map<string, number>();
  const umzug = buildUmzug(
    knex,
    files,
    history.map((row) => row.name),
    durations,
  );
  umzug.on('migrating', ({ name }) => logger.info(`db-init: applying ${name}`));
  umzug.on('migrated', ({ name }) => {
    logger.info(`db-init: applied ${name} (${seconds(durations.get(name) ?? 0)})`);
  });

  try {
    const done = await umzug.up();

    return { applied: done.map((migration) => migration.name), skipped, pending: [] };
  } catch (error) {
    // umzug wraps what a migration throws; the BootError inside names the file and line.
    const cause = (error as { cause?: unknown }).cause;
    throw cause instanceof BootError ? cause : error;
  }
}

/**
 * umzug runs each migration's `up`, then asks the storage to log it. `up` leaves its work
 * uncommitted and the storage commits it with the history row (see `StartedMigration`).
 */
function buildUmzug(
  knex: Knex,
  files: MigrationFile[],
  executedNames: string[],
  durations: Map<string, number>,
) {
  const started = new Map<string, StartedMigration>();

  const storage: UmzugStorage = {
    executed: async () => executedNames,
    logMigration: async ({ name }) => {
      durations.set(name, await started.get(name)!.record());
      started.delete(name);
    },
    unlogMigration: async () => {
      throw new Error('db-init migrations are never reverted');
    },
  };

  return new Umzug({
    migrations: files.map((file) => ({
      name: file.name,
      path: file.path,
      up: async () => {
        started.set(file.name, await startMigration(knex, file));
      },
    })),
    storage,
    logger: undefined,
  });
}
