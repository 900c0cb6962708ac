import { defineHook } from '@directus/extensions-sdk';
import type { Command } from 'commander';
import { runBoot, type BootDependencies } from '../boot/run-boot';
import { BootError } from '../common/boot-error';
import { redactSecrets } from '../common/redact-secrets';
import { seconds } from '../common/seconds';
import type { SchemaServiceClass } from '../snapshot/apply-snapshot';
import { registerCliCommands } from './cli-commands';

/** pm2's listen_timeout when PM2_LISTEN_TIMEOUT is not set (GRACEFUL_LISTEN_TIMEOUT). */
const PM2_DEFAULT_LISTEN_TIMEOUT_MS = 3000;

/** pm2 starts its wait a little after the process starts; this covers the difference. */
const PM2_TIMER_MARGIN_MS = 1500;

/**
 * How long to stay alive before exiting, so that real pm2-runtime sees the failure. With
 * `wait_ready`, an app that exits before pm2's listen timeout has run out is marked online by
 * pm2 when it does run out, and pm2-runtime then waits forever on a dead app (the fast-crash
 * trap in DIRECTUS-FACTS.md). Exiting after it, pm2 sees an online app die, and pm2-runtime
 * exits non-zero. pm2 copies the app's settings into its environment, which is how we know.
 * Sending `ready` before exiting was tried: pm2 then races the message against the exit, and
 * pm2-runtime sometimes exited 0.
 */
function delayBeforeExitMs(env: NodeJS.ProcessEnv, uptimeMs: number): number {
  if (env['pm_id'] === undefined || env['wait_ready'] !== 'true') return 0;
  const listenTimeoutMs = Number(env['listen_timeout']) || PM2_DEFAULT_LISTEN_TIMEOUT_MS;

  return Math.max(0, listenTimeoutMs + PM2_TIMER_MARGIN_MS - uptimeMs);
}

export default defineHook(({ init }, { database, services, env, logger }) => {
  // Directus's CLI loads extensions only on an installed database without pending migrations.
  init('cli.before', ({ program }) => {
    registerCliCommands(program as Command, {
      knex: database,
      SchemaService: services.SchemaService as unknown as SchemaServiceClass,
      env,
      logger,
    });
  });

  // Directus awaits this handler before it listens, so no request is served until the
  // database is in the declared state. Directus catches and only logs what an init handler
  // throws, so a failure ends the process here, the only place that does.
  init('app.before', async () => {
    try {
      const bootServices = services as unknown as BootDependencies['services'];
      await runBoot({ knex: database, services: bootServices, env, logger });
    } catch (error) {
      // A migration's error can quote a password or a connection string; the log must not.
      logger.error(redactSecrets(describeFailure(error), env));

      const delayMs = delayBeforeExitMs(process.env, process.uptime() * 1000);
      if (delayMs > 0) {
        logger.info(`boot: exiting in ${seconds(delayMs)}, after pm2's listen timeout`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      process.exit(1);
    }
  });
});

function describeFailure(error: unknown): string {
  if (error instanceof BootError) return `boot: failed at ${error.step}: ${error.message}`;

  // Every step wraps its errors, so this is a fault of the extension itself: keep the stack.
  return `boot: failed unexpectedly: ${error instanceof Error ? error.stack : String(error)}`;
}
