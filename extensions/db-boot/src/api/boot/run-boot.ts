import type { Knex } from 'knex';
import { BootError, inStep, type BootStep } from '../common/boot-error';
import { redactSecrets } from '../common/redact-secrets';
import { seconds } from '../common/seconds';
import { readSettings } from '../config/read-settings';
import { acquireBootLock } from '../lock/advisory-lock';
import { runMigrations } from '../migrations/run-migrations';
import {
  applySnapshot,
  BOOT_ACCOUNTABILITY,
  type SchemaServiceClass,
} from '../snapshot/apply-snapshot';
import { recordBoot, type BootRecord, type StepRecord } from './boot-record';

export interface BootLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** The part of Directus's `UtilsService` the boot uses. */
export type UtilsServiceClass = new (options: { knex: Knex; accountability: object }) => {
  clearCache(options: { system: boolean }): Promise<void>;
};

export interface BootDependencies {
  knex: Knex;
  services: { SchemaService: SchemaServiceClass; UtilsService: UtilsServiceClass };
  env: Record<string, unknown>;
  logger: BootLogger;
}

/** What a boot did so far, for its log lines and its row in db_boot.boots. */
interface Journal {
  startedAt: Date;
  lockWaitMs: number | null;
  planOnly: boolean;
  steps: StepRecord[];
  /** The snapshot file's hash once the schema step brought the database to it. */
  snapshotHash: string | null;
  /** Logs a step's summary line, `<step>: <summary> (0.4 s)`, and keeps it. */
  report(step: BootStep, startedMs: number, summary: string): void;
}

/**
 * Brings the database to the state the repository declares, then records the boot (also a
 * failed one) in db_boot.boots. A failing step throws a BootError; the caller decides what
 * happens to the process.
 */
export async function runBoot(dependencies: BootDependencies): Promise<void> {
  const { logger } = dependencies;
  const journal: Journal = {
    startedAt: new Date(),
    lockWaitMs: null,
    planOnly: false,
    steps: [],
    snapshotHash: null,
    report(step, startedMs, summary) {
      const durationMs = performance.now() - startedMs;
      logger.info(`${step}: ${summary} (${seconds(durationMs)})`);
      this.steps.push({ step, durationMs: Math.round(durationMs), summary });
    },
  };

  try {
    await bootSteps(dependencies, journal);
    await saveRecord(dependencies, journal, null);
  } catch (error) {
    await saveRecord(dependencies, journal, error);
    throw error;
  }
}

async function bootSteps({ knex, services, env, logger }: BootDependencies, journal: Journal) {
  const bootStarted = performance.now();
  const settings = await inStep('config', async () => readSettings(env));
  journal.planOnly = settings.planOnly;
  const mode = settings.planOnly ? ' (plan only: nothing will be applied)' : '';
  logger.info(
    `boot: migrations ${settings.migrationsPath}, snapshot ${settings.snapshotPath}${mode}`,
  );

  const lockStarted = performance.now();
  const lock = await inStep('lock', () =>
    acquireBootLock(knex, { timeoutSeconds: settings.lockTimeoutSeconds, logger }),
  );
  journal.lockWaitMs = lock.waitedMs;
  journal.report('lock', lockStarted, 'acquired');

  try {
    const migrationsStarted = performance.now();
    if (settings.skipMigrations) {
      journal.report('db-init', migrationsStarted, 'skipped (BOOT_SKIP_MIGRATIONS=true)');
    } else {
      const outcome = await inStep('db-init', () =>
        runMigrations({ knex, folder: settings.migrationsPath, logger, ...settings }),
      );
      const counts = settings.planOnly
        ? `${outcome.pending.length} pending, ${outcome.skipped} skipped (plan only)`
        : `${outcome.applied.length} applied, ${outcome.skipped} skipped`;
      journal.report('db-init', migrationsStarted, counts);
    }

    await inStep('lock', async () => lock.assertHeld());

    const schemaStarted = performance.now();
    if (settings.skipSnapshot) {
      journal.report('schema', schemaStarted, 'skipped (BOOT_SKIP_SNAPSHOT=true)');
    } else {
      const outcome = await inStep('schema', () =>
        applySnapshot({
          knex,
          SchemaService: services.SchemaService,
          path: settings.snapshotPath,
          allowDestructive: settings.allowDestructive,
          force: settings.snapshotForce,
          planOnly: settings.planOnly,
          logger,
        }),
      );
      const summary =
        outcome.changes.length === 0
          ? 'no changes'
          : `${outcome.changes.length} change(s) ${outcome.applied ? 'applied' : 'planned'} ` +
            `(${countBySign(outcome.changes)})`;
      journal.report('schema', schemaStarted, summary);
      if (!settings.planOnly) journal.snapshotHash = outcome.fileHash;
    }
  } finally {
    await lock.release();
  }

  // Directus built its schema cache before this hook ran. A process that waited on the lock
  // while another one applied the snapshot would keep serving that stale schema (403 on the
  // new collections) until something cleared it, so every process clears it here.
  await inStep('schema', () =>
    new services.UtilsService({ knex, accountability: BOOT_ACCOUNTABILITY }).clearCache({
      system: true,
    }),
  );

  const took = seconds(performance.now() - bootStarted);
  logger.info(
    settings.planOnly
      ? `boot: plan only, nothing applied (${took})`
      : `boot: database ready in ${took}`,
  );
}

async function saveRecord(
  { knex, env, logger }: BootDependencies,
  journal: Journal,
  error: unknown,
) {
  const failure =
    error instanceof BootError ? `${error.step}: ${error.message}` : error ? String(error) : null;
  const record: BootRecord = {
    startedAt: journal.startedAt,
    finishedAt: new Date(),
    outcome: error ? 'failed' : journal.planOnly ? 'plan-only' : 'ready',
    lockWaitMs: journal.lockWaitMs,
    steps: journal.steps,
    // A boot that failed after the schema step still left the schema at the file.
    snapshotHash: journal.snapshotHash,
    // The status endpoint and the admin panel show this text: no secret may be stored in it.
    error: failure === null ? null : redactSecrets(failure, env),
  };

  await recordBoot(knex, record).catch((cause: unknown) => {
    logger.warn(`boot: could not record this boot in db_boot.boots: ${String(cause)}`);
  });
}

/** "12 created, 1 updated, 0 deleted", from the signs that start plan lines. */
function countBySign(changes: string[]): string {
  const count = (sign: string) => changes.filter((change) => change.startsWith(sign)).length;

  return `${count('+')} created, ${count('~')} updated, ${count('-')} deleted`;
}
