import { copyFileSync, cpSync, mkdtempSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inject } from 'vitest';
import { REPO_ROOT } from '../../scripts/lib/directus-env.ts';
import { REPO_MIGRATIONS } from './directus-env-for-tests';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

/** A copy of the repository's db-init folder plus the given fixture files, to edit freely. */
export function migrationsWith(...fixtures: string[]): string {
  const folder = mkdtempSync(join(inject('scratchDir'), 'db-init-'));
  cpSync(REPO_MIGRATIONS, folder, { recursive: true });
  for (const fixture of fixtures)
    copyFileSync(join(FIXTURES, fixture), join(folder, basename(fixture)));

  return folder;
}
