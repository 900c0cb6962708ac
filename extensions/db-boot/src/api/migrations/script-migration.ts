import type { Knex } from 'knex';
import { pathToFileURL } from 'node:url';
import { BootError } from '../common/boot-error';
import type { MigrationFile } from './find-migrations';
import { HISTORY_SCHEMA, HISTORY_TABLE, historyFailure, historyRow } from './history-table';
import type { StartedMigration } from './started-migration';

interface ScriptModule {
  up?: (knex: Knex) => unknown;
  transaction?: boolean;
}

/**
 * A .ts/.js migration exports `up(knex)`, and `transaction = false` to run outside one. Inside
 * a transaction it is handed the transaction, whose history row commits with its work.
 */
export async function startScriptMigration(
  knex: Knex,
  file: MigrationFile,
): Promise<StartedMigration> {
  const module = await loadScriptMigration(file);
  const up = module.up;
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

/**
 * Imports a script migration and checks that it exports `up`; the status calls it too, so that
 * `db-boot plan` refuses what the boot would. The checksum in the URL makes a long-running
 * server import an edited file anew instead of answering from its module cache.
 */
export async function loadScriptMigration(
  file: MigrationFile,
): Promise<ScriptModule & { up: NonNullable<ScriptModule['up']> }> {
  const url = `${pathToFileURL(file.path).href}?sha256=${file.checksum}`;
  const module = (await import(url).catch((error: unknown) => {
    throw new BootError('db-init', `${file.name}: cannot be loaded: ${describeError(error)}`, {
      file: file.path,
      cause: error,
    });
  })) as ScriptModule;

  if (typeof module.up !== 'function') {
    throw new BootError('db-init', `${file.name}: exports no up(knex) function`, {
      file: file.path,
    });
  }

  return module as ScriptModule & { up: NonNullable<ScriptModule['up']> };
}

/**
 * The pending scripts that cannot be loaded, each as the error the boot would stop on. The boot
 * checks them all before it applies anything, and the status shows the same refusals.
 */
export async function unloadableScripts(files: MigrationFile[]): Promise<BootError[]> {
  const scripts = files.filter((file) => file.kind === 'script');
  const failures = await Promise.all(
    scripts.map((file) =>
      loadScriptMigration(file).then(
        () => undefined,
        (error: BootError) => error,
      ),
    ),
  );

  return failures.filter((failure) => failure !== undefined);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
