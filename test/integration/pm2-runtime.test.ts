import { afterEach, describe, expect, it } from 'vitest';
import {
  boot,
  createDatabase,
  portEverOpened,
  stopAllDirectus,
} from '../support/directus-under-test';
import { migrationsWith } from '../support/migration-folders';

afterEach(stopAllDirectus);

/**
 * The bound stated in the README: a failing boot exits once pm2's listen timeout has passed
 * (or at once, if it has), and pm2-runtime notices that no app is online about 10 s later.
 * Directus needs 5 to 10 s to reach its init hooks on these machines, more when they are busy.
 */
const exitBoundMs = (listenTimeoutMs: number) => Math.max(listenTimeoutMs, 10_000) + 30_000;

describe('a failing boot under pm2-runtime with the upstream settings', () => {
  it.each([
    // pm2 still waits for `ready` when the boot fails: the fast-crash trap, which without care
    // leaves pm2-runtime running forever with nothing listening.
    ['before', 15_000],
    // pm2 has stopped waiting for `ready` and counts the app as online when the boot fails.
    ['after', 1_000],
  ])('makes pm2-runtime exit non-zero when it fails %s the listen timeout', async (_, timeout) => {
    const database = await createDatabase('bootstrapped');
    const env = {
      BOOT_MIGRATIONS_PATH: migrationsWith('migrations/0004-create-then-fail.sql'),
      PM2_LISTEN_TIMEOUT: String(timeout),
    };
    const bound = exitBoundMs(timeout);
    const started = Date.now();

    const { directus, port } = await boot({ database, env, underPm2: true });
    const opened = portEverOpened(port, directus.exited);
    const code = await Promise.race([
      directus.exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running'), bound)),
    ]);

    expect(code).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(bound);
    expect(directus.output()).toContain('boot: failed at db-init: 0004-create-then-fail.sql:5:16');
    expect(await opened).toBe(false);
  });
});
