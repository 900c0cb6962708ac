import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { BootError } from '../common/boot-error';
import { checksumOf } from './checksum';
import { compareNatural } from './natural-order';

export type MigrationKind = 'sql' | 'script';

export interface MigrationFile {
  /** The file name: the key of its history row. */
  name: string;
  path: string;
  kind: MigrationKind;
  text: string;
  checksum: string;
}

const KINDS: Record<string, MigrationKind> = {
  '.sql': 'sql',
  '.ts': 'script',
  '.js': 'script',
  '.mjs': 'script',
};

/** How a folder that cannot be listed at all is reported; the status tells it from a refusal. */
export const UNREADABLE_FOLDER = 'cannot read the migrations folder';

/** Files a migrations folder may hold beside migrations: notes, and hidden files. */
function isIgnored(name: string): boolean {
  return name.startsWith('.') || ['.md', '.txt'].includes(extname(name).toLowerCase());
}

/**
 * Lists the migrations of a folder in the order they run. Refuses what would make that order
 * a guess: a file of an unknown kind (a typo in an extension would otherwise skip it
 * silently), a sub-folder, and two names that differ only in the padding of their numbers.
 * A link to a file counts as that file, as in a Kubernetes ConfigMap mount.
 */
export async function findMigrations(folder: string): Promise<MigrationFile[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
    throw new BootError('db-init', `${UNREADABLE_FOLDER}: ${describe(error)}`, {
      file: folder,
      cause: error,
    });
  });

  const names: string[] = [];
  const strays: string[] = [];

  for (const entry of entries) {
    if (isIgnored(entry.name)) continue;
    const isMigration =
      KINDS[extname(entry.name)] !== undefined && (await isFileOrLinkToOne(folder, entry));
    (isMigration ? names : strays).push(entry.name);
  }

  if (strays.length > 0) {
    strays.sort(compareNatural);
    throw new BootError(
      'db-init',
      `not a migration (expected a .sql, .ts, .js or .mjs file): ${strays.join(', ')}`,
      { file: strays.length === 1 ? join(folder, strays[0]!) : folder },
    );
  }

  names.sort(compareNatural);

  for (let index = 1; index < names.length; index++) {
    if (compareNatural(names[index - 1]!, names[index]!) === 0) {
      throw new BootError(
        'db-init',
        `${names[index - 1]} and ${names[index]} differ only in the zero padding of a ` +
          'number: rename one',
        { file: join(folder, names[index]!) },
      );
    }
  }

  return Promise.all(names.map((name) => readMigration(folder, name)));
}

async function isFileOrLinkToOne(folder: string, entry: Dirent): Promise<boolean> {
  if (!entry.isSymbolicLink()) return entry.isFile();
  const target = await stat(join(folder, entry.name)).catch(() => undefined);

  return target?.isFile() === true;
}

async function readMigration(folder: string, name: string): Promise<MigrationFile> {
  const path = join(folder, name);
  // A byte order mark is no SQL: PostgreSQL would read it as part of the first statement.
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');

  return { name, path, kind: KINDS[extname(name)]!, text, checksum: checksumOf(text) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
