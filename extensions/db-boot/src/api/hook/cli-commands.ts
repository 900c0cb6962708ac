import type { Command } from 'commander';
import type { Knex } from 'knex';
import { userInfo } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { BootError } from '../common/boot-error';
import { redactSecrets } from '../common/redact-secrets';
import { readSettings } from '../config/read-settings';
import { acquireBootLock } from '../lock/advisory-lock';
import { acceptChecksum, recordBaseline } from '../migrations/adopt-history';
import type { SchemaServiceClass } from '../snapshot/apply-snapshot';
import { formatPlan, formatStatus, needsAttention } from '../status/format-status';
import { readStatus } from '../status/read-status';

interface CliContext {
  knex: Knex;
  SchemaService: SchemaServiceClass;
  env: Record<string, unknown>;
  logger: { info(message: string): void; warn(message: string): void };
}

/**
 * `directus db-boot status|plan|accept|baseline`, registered on Directus's own CLI. Each
 * command ends the process itself, as Directus's commands do: the CLI keeps the database
 * pool open otherwise.
 */
export function registerCliCommands(program: Command, context: CliContext): void {
  const command = program
    .command('db-boot')
    .description('Migration and snapshot status')
    // A typo in a command or option is a failure of the command (2), not "not in sync" (1);
    // the subcommands below inherit this. Help still exits 0.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
  const status = () =>
    readStatus({
      knex: context.knex,
      SchemaService: context.SchemaService,
      settings: readSettings(context.env),
      env: context.env,
    });

  command
    .command('status')
    .description('Each migration, the schema drift and the last boot; exit 1 if not in sync')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      run(context.env, async () => {
        const current = await status();
        console.log(options.json ? JSON.stringify(current, null, 2) : formatStatus(current));

        return needsAttention(current) ? 1 : 0;
      }),
    );

  command
    .command('plan')
    .description('What a boot would do now, without doing it; exit 1 if it would fail')
    .action(() =>
      run(context.env, async () => {
        const current = await status();
        console.log(formatPlan(current));

        return current.refusals.length > 0 ? 1 : 0;
      }),
    );

  command
    .command('accept <file>')
    .description("Accept the reviewed change of an applied migration's file")
    .action((file: string) =>
      run(context.env, () =>
        underLock(context, async (folder) => {
          const name = migrationName(file, folder);
          const { recorded, accepted } = await acceptChecksum(context.knex, folder, name);
          context.logger.warn(
            `db-init: accepted the changed file ${name}: sha256 ${recorded} -> ${accepted} ` +
              `(db-boot accept, by ${userInfo().username})`,
          );
        }),
      ),
    );

  command
    .command('baseline <file>')
    .description('Record migrations up to <file> as applied, without running them')
    .action((file: string) =>
      run(context.env, () =>
        underLock(context, async (folder) => {
          const name = migrationName(file, folder);
          const adopted = await recordBaseline(context.knex, folder, name);
          context.logger.warn(
            `db-init: baseline: recorded ${adopted.length} migration(s) up to ${name} as ` +
              `applied without running them: ${adopted.join(', ') || 'none'} ` +
              `(db-boot baseline, by ${userInfo().username})`,
          );
        }),
      ),
    );
}

/**
 * A migration's name from what the operator typed: the bare name, or a path to the file in the
 * migrations folder (as a shell completes it).
 */
function migrationName(file: string, folder: string): string {
  if (!file.includes('/')) return file;
  if (resolve(dirname(file)) !== resolve(folder)) {
    throw new BootError('db-init', `${file} is not in the migrations folder ${folder}`);
  }

  return basename(file);
}

/** History writes take the boot lock, so that they never meet a booting process. */
async function underLock(context: CliContext, work: (folder: string) => Promise<void>) {
  const settings = readSettings(context.env);
  const lock = await acquireBootLock(context.knex, {
    timeoutSeconds: settings.lockTimeoutSeconds,
    logger: context.logger,
  });
  try {
    await work(settings.migrationsPath);
  } finally {
    await lock.release();
  }

  return 0;
}

async function run(env: Record<string, unknown>, work: () => Promise<number>): Promise<never> {
  try {
    process.exit(await work());
  } catch (error) {
    const message = error instanceof BootError ? `${error.step}: ${error.message}` : String(error);
    console.error(`db-boot: ${redactSecrets(message, env)}`);
    process.exit(2);
  }
}
