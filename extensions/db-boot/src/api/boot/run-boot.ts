import type { Knex } from 'knex';
import { inStep } from '../common/boot-error';
import { seconds } from '../common/seconds';
import { readSettings } from '../config/read-settings';
import { acquireBootLock } from '../lock/advisory-lock';
import { runMigrations } from '../migrations/run-migrations';
import {
  applySnapshot,
  BOOT_ACCOUNTABILITY,
  type SchemaServiceClass,
} from '../snapshot/apply-snapshot';

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

/**
 * Brings the database to the state the repository declares: settings, lock, db-init
 * migrations, schema snapshot, cache refresh. Each step logs one summary line; a failing step
 * throws a BootError, and the caller decides what happens to the process.
 */
export async function runBoot({ knex, services, env, logger }: BootDependencies): Promise<void> {
  const bootStarted = performance.now();
  const settings = await inStep('config', async () => readSettings(env));
  const mode = settings.planOnly ? ' (plan only: nothing will be applied)' : '';
  logger.info(
    `boot: migrations ${settings.migrationsPath}, snapshot ${settings.snapshotPath}${mode}`,
  );

  const lock = await inStep('lock', () =>
    acquireBootLock(knex, { timeoutSeconds: settings.lockTimeoutSeconds, logger }),
  );
  logger.info(`lock: acquired (waited ${seconds(lock.waitedMs)})`);

  try {
    if (settings.skipMigrations) {
      logger.info('db-init: skipped (BOOT_SKIP_MIGRATIONS=true)');
    } else {
      const started = performance.now();
      const outcome = await inStep('db-init', () =>
        runMigrations({ knex, folder: settings.migrationsPath, logger, ...settings }),
      );
      const counts = settings.planOnly
        ? `${outcome.pending.length} pending, ${outcome.skipped} skipped (plan only)`
        : `${outcome.applied.length} applied, ${outcome.skipped} skipped`;
      logger.info(`db-init: ${counts} (${seconds(performance.now() - started)})`);
    }

    await inStep('lock', async () => lock.assertHeld());

    if (settings.skipSnapshot) {
      logger.info('schema: skipped (BOOT_SKIP_SNAPSHOT=true)');
    } else {
      const started = performance.now();
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
      logger.info(`schema: ${summary} (${seconds(performance.now() - started)})`);
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

/** "12 created, 1 updated, 0 deleted", from the signs that start plan lines. */
function countBySign(changes: string[]): string {
  const count = (sign: string) => changes.filter((change) => change.startsWith(sign)).length;

  return `${count('+')} created, ${count('~')} updated, ${count('-')} deleted`;
}
