import { describe, expect, it } from 'vitest';
import { BootError } from '../../extensions/db-boot/src/api/common/boot-error';
import { readSettings } from '../../extensions/db-boot/src/api/config/read-settings';

describe('boot settings', () => {
  it('has documented defaults', () => {
    expect(readSettings({})).toEqual({
      migrationsPath: './db-init',
      snapshotPath: './snapshots/schema.yaml',
      lockTimeoutSeconds: 300,
      onChangedMigration: 'fail',
      onMissingMigration: 'fail',
      allowDestructive: false,
      snapshotForce: false,
      planOnly: false,
      skipMigrations: false,
      skipSnapshot: false,
    });
  });

  it('accepts values as Directus hands them over, already cast to booleans and numbers', () => {
    const settings = readSettings({
      BOOT_LOCK_TIMEOUT: 12.5,
      BOOT_ALLOW_DESTRUCTIVE: true,
      BOOT_PLAN_ONLY: 'TRUE',
      BOOT_ON_MISSING_MIGRATION: 'warn',
    });

    expect(settings).toMatchObject({
      lockTimeoutSeconds: 12.5,
      allowDestructive: true,
      planOnly: true,
      onMissingMigration: 'warn',
    });
  });

  it('reports every problem at once, unknown BOOT_ variables included', () => {
    const read = () =>
      readSettings({
        BOOT_LOCK_TIMEOUT: 'soon',
        BOOT_ALLOW_DESTRUCTIVE: 'yes',
        BOOT_ON_CHANGED_MIGRATION: 'ignore',
        BOOT_SNAPSHOT: './x.yaml',
        DB_HOST: 'ignored: not ours',
      });

    expect(read).toThrow(BootError);
    expect(read).toThrow(
      '4 invalid setting(s): ' +
        'BOOT_LOCK_TIMEOUT must be a number of seconds (0 or more), got "soon"; ' +
        'BOOT_ON_CHANGED_MIGRATION must be fail or warn, got "ignore"; ' +
        'BOOT_ALLOW_DESTRUCTIVE must be true or false, got "yes"; ' +
        'BOOT_SNAPSHOT is not a setting',
    );
  });

  it('refuses an empty path', () => {
    expect(() => readSettings({ BOOT_MIGRATIONS_PATH: ' ' })).toThrow(
      'BOOT_MIGRATIONS_PATH must not be empty',
    );
  });
});
