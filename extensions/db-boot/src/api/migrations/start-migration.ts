import type { Knex } from 'knex';
import type { MigrationFile } from './find-migrations';
import { startScriptMigration } from './script-migration';
import { startSqlMigration } from './sql-migration';
import type { StartedMigration } from './started-migration';

export type { StartedMigration } from './started-migration';

export async function startMigration(knex: Knex, file: MigrationFile): Promise<StartedMigration> {
  return file.kind === 'sql' ? startSqlMigration(knex, file) : startScriptMigration(knex, file);
}
