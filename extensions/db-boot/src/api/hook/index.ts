import { defineHook } from '@directus/extensions-sdk';
import { runBoot, type BootDependencies } from '../boot/run-boot';
import { BootError } from '../common/boot-error';

/**
 * How long pm2 waits for a `ready` message before it gives up on it (PM2_LISTEN_TIMEOUT,
 * 3000 ms by default). With `wait_ready`, an app that exits before that time without having
 * sent `ready` is later marked online by pm2 anyway, and pm2-runtime then waits forever on a
 * dead app (the fast-crash trap in DIRECTUS-FACTS.md). Sending `ready` before exiting
 * avoids it: pm2 sees an online app end with an error, and pm2-runtime exits.
 */
function exitAfterFailure(): never {
  process.send?.('ready');
  process.exit(1);
}

export default defineHook(({ init }, { database, services, env, logger }) => {
  // Directus awaits this handler before it listens, so no request is served until the
  // database is in the declared state. Directus catches and only logs what an init handler
  // throws, so a failure ends the process here, the only place that does.
  init('app.before', async () => {
    try {
      const bootServices = services as unknown as BootDependencies['services'];
      await runBoot({ knex: database, services: bootServices, env, logger });
    } catch (error) {
      logger.error(describeFailure(error));
      exitAfterFailure();
    }
  });
});

function describeFailure(error: unknown): string {
  if (error instanceof BootError) return `boot: failed at ${error.step}: ${error.message}`;

  // Every step wraps its errors, so this is a fault of the extension itself: keep the stack.
  return `boot: failed unexpectedly: ${error instanceof Error ? error.stack : String(error)}`;
}
