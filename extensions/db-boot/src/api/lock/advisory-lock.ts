import type { Knex } from 'knex';
import { BootError } from '../common/boot-error';
import {
  closeRawConnection,
  openRawConnection,
  type RawConnection,
} from '../database/raw-connection';

/**
 * The advisory lock key every booting process of this product takes: an arbitrary constant
 * (the bytes of "dbboot01" read as a bigint), so that it cannot meet another tool's key by
 * accident.
 */
export const BOOT_LOCK_KEY = '7233452182261215281';

/** How often a waiting process asks for the lock again. */
const POLL_INTERVAL_MS = 200;

export interface HeldLock {
  /** Milliseconds spent waiting for another process to finish its boot. */
  waitedMs: number;
  /** Throws if the lock's connection has closed, so another process may hold the lock now. */
  assertHeld(): void;
  release(): Promise<void>;
}

/** Who holds the boot lock: a booting process, or a `db-boot accept` or `baseline`. */
export interface LockHolder {
  /** The PostgreSQL backend's pid, as pg_stat_activity shows it. */
  pid: number;
  /** The client's address; null for a local socket. */
  address: string | null;
  /** When the holder's connection opened: it opens to take the lock. */
  since: Date | null;
}

interface LockLogger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Takes the boot lock as a session-level advisory lock on a connection of its own. A session
 * lock on an idle connection holds no transaction open, so a migration may still run
 * CREATE INDEX CONCURRENTLY, which waits for every open transaction; a transaction-level lock
 * would deadlock it.
 */
export async function acquireBootLock(
  knex: Knex,
  options: { timeoutSeconds: number; logger: LockLogger },
): Promise<HeldLock> {
  const connection = await openRawConnection(knex);
  const started = performance.now();
  let lost: unknown;
  connection.on('error', (error) => (lost ??= error ?? 'connection error'));
  connection.on('end', () => (lost ??= 'connection ended'));

  try {
    if (!(await tryLock(connection))) {
      const holder = describeHolder(await readLockHolder(knex));
      options.logger.info(`lock: waiting up to ${options.timeoutSeconds} s for ${holder}`);
      await waitForLock(connection, options.timeoutSeconds);
    }
  } catch (error) {
    await closeRawConnection(knex, connection);
    throw error;
  }

  return {
    waitedMs: performance.now() - started,
    assertHeld() {
      if (lost !== undefined) {
        throw new BootError('lock', `lost the boot lock: its connection closed (${String(lost)})`);
      }
    },
    release: () => releaseLock(knex, connection, options.logger),
  };
}

async function tryLock(connection: RawConnection): Promise<boolean> {
  const result = await connection.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
    BOOT_LOCK_KEY,
  ]);

  return result.rows[0]?.['locked'] === true;
}

/** The session holding the boot lock now, or null when it is free. Reads, never waits. */
export async function readLockHolder(knex: Knex): Promise<LockHolder | null> {
  const result = await knex.raw(
    `SELECT pid, client_addr::text AS address, backend_start AS since FROM pg_locks
       LEFT JOIN pg_stat_activity USING (pid)
      WHERE locktype = 'advisory' AND granted
        AND ((classid::bigint << 32) | objid::bigint) = ?::bigint`,
    [BOOT_LOCK_KEY],
  );
  const row = (result as { rows: Record<string, unknown>[] }).rows[0];
  if (row === undefined) return null;

  return {
    pid: Number(row['pid']),
    address: row['address'] ? String(row['address']) : null,
    since: row['since'] instanceof Date ? row['since'] : null,
  };
}

/** `backend pid 4711 at 10.0.0.7`: how the log and the status name the holder. */
export function holderText(holder: LockHolder): string {
  return `backend pid ${holder.pid}${holder.address ? ` at ${holder.address}` : ''}`;
}

function describeHolder(holder: LockHolder | null): string {
  return holder === null
    ? 'another booting process'
    : `another booting process (${holderText(holder)})`;
}

/**
 * Waits by polling rather than with a blocking pg_advisory_lock: a statement blocked in the
 * server keeps its snapshot open, and CREATE INDEX CONCURRENTLY in the holder's migrations
 * waits for every open snapshot to end, while the blocked statement waits for the holder. The
 * two would wait for each other until the timeout. Between polls this connection is idle.
 */
async function waitForLock(connection: RawConnection, timeoutSeconds: number): Promise<void> {
  const deadline = performance.now() + timeoutSeconds * 1000;

  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    if (await tryLock(connection)) return;
  }

  throw new BootError(
    'lock',
    `another process held the boot lock for more than ${timeoutSeconds} s ` +
      '(raise BOOT_LOCK_TIMEOUT, or find the process stuck in its boot)',
  );
}

/**
 * Gives the lock back, then closes its connection. Closing the session frees the lock even
 * when the unlock could not be sent, so a failed unlock is only worth a warning.
 */
async function releaseLock(knex: Knex, connection: RawConnection, logger: LockLogger) {
  try {
    await connection.query('SELECT pg_advisory_unlock($1::bigint)', [BOOT_LOCK_KEY]);
  } catch (error) {
    logger.warn(`lock: unlock failed, closing its connection frees it: ${String(error)}`);
  } finally {
    await closeRawConnection(knex, connection);
  }
}
