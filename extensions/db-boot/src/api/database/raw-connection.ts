import type { Knex } from 'knex';

/** The part of a node-postgres client that this extension uses. */
export interface RawConnection {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  on(event: 'end' | 'error', listener: (error?: unknown) => void): void;
}

/**
 * Opens a connection of our own with the settings of Directus's pool, outside that pool.
 * What a migration changes in its session (SET search_path, say) ends with the connection
 * instead of leaking into the connections Directus serves requests with, and closing the
 * connection frees a session advisory lock even when the server could not be told.
 * knex's `acquireRawConnection` is internal API: Directus pins knex exactly, so re-check it
 * when Directus is upgraded.
 */
export async function openRawConnection(knex: Knex): Promise<RawConnection> {
  return (await knex.client.acquireRawConnection()) as RawConnection;
}

export async function closeRawConnection(knex: Knex, connection: RawConnection): Promise<void> {
  await knex.client.destroyRawConnection(connection).catch(() => undefined);
}
