import pg from 'pg';
import { inject } from 'vitest';
import { BOOT_LOCK_KEY } from '../../extensions/db-boot/src/api/lock/advisory-lock';

/**
 * Takes the boot lock from a session of the test's own, as a booting process elsewhere would;
 * `release` ends the session, which frees it.
 */
export async function holdBootLock(database: string) {
  const client = new pg.Client({ ...inject('postgres'), database });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1::bigint)', [BOOT_LOCK_KEY]);
  const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);

  return { pid, release: () => client.end() };
}
