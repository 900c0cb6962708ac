import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { directusEnv, REPO_ROOT } from '../../scripts/lib/directus-env.ts';

export const TEST_ADMIN = { email: 'admin@example.com', password: 'test-admin-password' };
export const TEST_SECRET = 'a-fixed-secret-for-tests-only-0123456789';
export const REPO_MIGRATIONS = join(REPO_ROOT, 'db-init');
export const REPO_SNAPSHOT = join(REPO_ROOT, 'snapshots', 'schema.yaml');

export interface TestEnvOptions {
  postgres: { host: string; port: number; user: string; password: string };
  database: string;
  port: number;
  scratchDir: string;
  extra?: Record<string, string>;
}

/** Directus's environment for a test: the repository's migrations and snapshot by default. */
export function testEnv(options: TestEnvOptions): Record<string, string> {
  return directusEnv({
    postgres: options.postgres,
    database: options.database,
    host: '127.0.0.1',
    port: options.port,
    secret: TEST_SECRET,
    admin: TEST_ADMIN,
    uploadsDir: join(options.scratchDir, 'uploads'),
    extra: {
      BOOT_MIGRATIONS_PATH: REPO_MIGRATIONS,
      BOOT_SNAPSHOT_PATH: REPO_SNAPSHOT,
      LOG_LEVEL: 'info',
      ...options.extra,
    },
  });
}

/**
 * Prepares the working folder of one Directus instance. Directus reads package extensions from
 * the package.json of its working folder (in the image, /directus holds Directus's own), and
 * with EXTENSIONS_MUST_LOAD a missing one is fatal.
 */
export function prepareInstanceFolder(folder: string): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), '{ "name": "directus-instance", "private": true }\n');

  return folder;
}
