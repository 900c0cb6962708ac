import { runDirectusCommand } from '../../scripts/lib/directus-process.ts';
import { prepareInstanceFolder, testEnv } from './directus-env-for-tests';
import type { TestPostgres } from './test-postgres';

export const TEMPLATE_DATABASE = 'directus_template';

/**
 * Runs Directus's bootstrap once into a database that tests then clone (CREATE DATABASE ...
 * TEMPLATE): Directus's system tables and the admin user, and nothing of ours.
 */
export async function bootstrapTemplate(postgres: TestPostgres, scratchDir: string) {
  prepareInstanceFolder(scratchDir);
  await postgres.query('postgres', `CREATE DATABASE ${TEMPLATE_DATABASE}`);

  const env = testEnv({ postgres, database: TEMPLATE_DATABASE, port: 0, scratchDir });
  const result = await runDirectusCommand(['bootstrap'], { env, cwd: scratchDir });
  if (result.code !== 0) throw new Error(`bootstrap of the template failed:\n${result.output}`);

  return TEMPLATE_DATABASE;
}
