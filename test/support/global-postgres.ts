import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bootstrapTemplate } from './template-database';
import { startTestPostgres, type TestPostgres } from './test-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { host: string; port: number; user: string; password: string };
    templateDatabase: string;
    scratchDir: string;
  }
}

/**
 * One PostgreSQL server for the whole integration run; every test makes databases of its own
 * on it, so no test sees another's state. A database bootstrapped once by Directus serves as
 * the template that tests clone instead of paying for a bootstrap each.
 */
export default async function setup(project: TestProject) {
  const scratchDir = mkdtempSync(join(tmpdir(), 'db-boot-test-'));
  // As root, PostgreSQL runs as the `postgres` user, which must reach its data folder in here.
  chmodSync(scratchDir, 0o755);
  let postgres: TestPostgres | undefined;

  try {
    postgres = await startTestPostgres(join(scratchDir, 'postgres'));
    const connection = {
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      password: postgres.password,
    };
    const templateDatabase = await bootstrapTemplate(postgres, join(scratchDir, 'template'));

    project.provide('postgres', connection);
    project.provide('templateDatabase', templateDatabase);
    project.provide('scratchDir', scratchDir);
  } catch (error) {
    await postgres?.stop();
    rmSync(scratchDir, { recursive: true, force: true });
    throw error;
  }

  return async () => {
    await postgres?.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  };
}
