/**
 * A migration whose work is done but not yet committed. umzug runs `up`, then asks its storage
 * to log the migration: `record` writes the history row in the migration's own transaction and
 * commits both, so a migration and its row exist together or not at all.
 */
export interface StartedMigration {
  inTransaction: boolean;
  /** Commits the work with its history row; resolves to the migration's duration in ms. */
  record(): Promise<number>;
}
