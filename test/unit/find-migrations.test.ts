import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checksumOf } from '../../extensions/db-boot/src/api/migrations/checksum';
import { findMigrations } from '../../extensions/db-boot/src/api/migrations/find-migrations';

const folders: string[] = [];

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'find-migrations-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);

  return folder;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('finding the migrations of a folder', () => {
  it('lists migration files in natural order, leaving notes and hidden files out', async () => {
    const folder = folderWith({
      '10-late.sql': 'SELECT 10;',
      '2-script.ts': 'export async function up() {}',
      '1-first.sql': 'SELECT 1;',
      'README.md': '# notes',
      '.keep': '',
    });

    const found = await findMigrations(folder);

    expect(found.map((migration) => [migration.name, migration.kind])).toEqual([
      ['1-first.sql', 'sql'],
      ['2-script.ts', 'script'],
      ['10-late.sql', 'sql'],
    ]);
    expect(found[0]!.checksum).toBe(checksumOf('SELECT 1;'));
  });

  it('refuses a file of an unknown kind instead of skipping it', async () => {
    const folder = folderWith({ '1-a.sql': '', '2-b.sq': '' });

    await expect(findMigrations(folder)).rejects.toThrow(
      'not a migration (expected a .sql, .ts, .js or .mjs file): 2-b.sq',
    );
  });

  it('reads links to files as the files, as a Kubernetes ConfigMap mounts them', async () => {
    // A ConfigMap volume: the files live in a hidden timestamped folder behind `..data`.
    const folder = folderWith({});
    mkdirSync(join(folder, '..2026_12_04_09_00_00.1'));
    writeFileSync(join(folder, '..2026_12_04_09_00_00.1', '1-first.sql'), 'SELECT 1;');
    symlinkSync('..2026_12_04_09_00_00.1', join(folder, '..data'));
    symlinkSync(join('..data', '1-first.sql'), join(folder, '1-first.sql'));

    const found = await findMigrations(folder);

    expect(found.map((migration) => [migration.name, migration.text])).toEqual([
      ['1-first.sql', 'SELECT 1;'],
    ]);
  });

  it('names every stray entry at once: unknown kinds, broken links', async () => {
    const folder = folderWith({ '1-a.sql': '', '3-c.txt.bak': '' });
    symlinkSync('nowhere.sql', join(folder, '2-b.sql'));

    await expect(findMigrations(folder)).rejects.toThrow(
      'not a migration (expected a .sql, .ts, .js or .mjs file): 2-b.sql, 3-c.txt.bak',
    );
  });

  it('refuses a sub-folder', async () => {
    const folder = folderWith({});
    mkdirSync(join(folder, '3-more'));

    await expect(findMigrations(folder)).rejects.toThrow('not a migration');
  });

  it('refuses two names whose order only zero padding would decide', async () => {
    const folder = folderWith({ '1-a.sql': '', '01-a.sql': '' });

    await expect(findMigrations(folder)).rejects.toThrow(
      '01-a.sql and 1-a.sql differ only in the zero padding of a number: rename one',
    );
  });

  it('names the folder it cannot read', async () => {
    await expect(findMigrations('/no/such/folder')).rejects.toThrow(
      'cannot read the migrations folder: ENOENT',
    );
  });
});

describe('checksums', () => {
  it('are the same for LF and CRLF line endings, and differ for any other change', () => {
    expect(checksumOf('SELECT 1;\r\nSELECT 2;\r\n')).toBe(checksumOf('SELECT 1;\nSELECT 2;\n'));
    expect(checksumOf('SELECT 1;')).not.toBe(checksumOf('SELECT 2;'));
    expect(checksumOf('')).toMatch(/^[0-9a-f]{64}$/);
  });
});
