import { query } from './directus-under-test';

/** What "nothing altered" means for a user: tables, columns, Directus's metadata, history. */
export async function databaseFingerprint(database: string): Promise<string> {
  const parts = await Promise.all([
    query(
      database,
      `SELECT table_schema, table_name, column_name, data_type, is_nullable, column_default
         FROM information_schema.columns
        WHERE table_schema IN ('public', 'db_boot')
        ORDER BY 1, 2, 3`,
    ),
    query(database, 'SELECT indexname, indexdef FROM pg_indexes ORDER BY 1'),
    query(database, 'SELECT * FROM directus_collections ORDER BY collection'),
    query(database, 'SELECT * FROM directus_fields ORDER BY id'),
    query(database, 'SELECT * FROM directus_relations ORDER BY id'),
    query(database, 'SELECT * FROM db_boot.migrations ORDER BY name'),
  ]);

  return JSON.stringify(parts);
}

export async function historyNames(database: string): Promise<string[]> {
  const rows = await query(database, 'SELECT name FROM db_boot.migrations ORDER BY name');

  return rows.map((row) => String(row['name']));
}

export async function tableExists(database: string, table: string): Promise<boolean> {
  const rows = await query(database, `SELECT to_regclass('public.${table}') AS found`);

  return rows[0]?.['found'] !== null;
}
