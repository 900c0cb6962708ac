import { BootError } from '../common/boot-error';

export type OnMismatch = 'fail' | 'warn';

export interface BootSettings {
  migrationsPath: string;
  snapshotPath: string;
  lockTimeoutSeconds: number;
  onChangedMigration: OnMismatch;
  onMissingMigration: OnMismatch;
  allowDestructive: boolean;
  snapshotForce: boolean;
  planOnly: boolean;
  skipMigrations: boolean;
  skipSnapshot: boolean;
}

type Parser<T> = (raw: string) => T | { problem: string };

interface SettingSpec<K extends keyof BootSettings> {
  key: K;
  variable: string;
  fallback: string;
  parse: Parser<BootSettings[K]>;
}

const PREFIX = 'BOOT_';

const text: Parser<string> = (raw) => (raw.trim() === '' ? { problem: 'must not be empty' } : raw);

const flag: Parser<boolean> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;

  return { problem: `must be true or false, got "${raw}"` };
};

const seconds: Parser<number> = (raw) => {
  const value = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(value) && value >= 0) return value;

  return { problem: `must be a number of seconds (0 or more), got "${raw}"` };
};

const failOrWarn: Parser<OnMismatch> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (value === 'fail' || value === 'warn') return value;

  return { problem: `must be fail or warn, got "${raw}"` };
};

/** Every setting, its environment variable and its default: the README's table mirrors this. */
const SPECS: { [K in keyof BootSettings]: SettingSpec<K> } = {
  migrationsPath: {
    key: 'migrationsPath',
    variable: 'BOOT_MIGRATIONS_PATH',
    fallback: './db-init',
    parse: text,
  },
  snapshotPath: {
    key: 'snapshotPath',
    variable: 'BOOT_SNAPSHOT_PATH',
    fallback: './snapshots/schema.yaml',
    parse: text,
  },
  lockTimeoutSeconds: {
    key: 'lockTimeoutSeconds',
    variable: 'BOOT_LOCK_TIMEOUT',
    fallback: '300',
    parse: seconds,
  },
  onChangedMigration: {
    key: 'onChangedMigration',
    variable: 'BOOT_ON_CHANGED_MIGRATION',
    fallback: 'fail',
    parse: failOrWarn,
  },
  onMissingMigration: {
    key: 'onMissingMigration',
    variable: 'BOOT_ON_MISSING_MIGRATION',
    fallback: 'fail',
    parse: failOrWarn,
  },
  allowDestructive: {
    key: 'allowDestructive',
    variable: 'BOOT_ALLOW_DESTRUCTIVE',
    fallback: 'false',
    parse: flag,
  },
  snapshotForce: {
    key: 'snapshotForce',
    variable: 'BOOT_SNAPSHOT_FORCE',
    fallback: 'false',
    parse: flag,
  },
  planOnly: { key: 'planOnly', variable: 'BOOT_PLAN_ONLY', fallback: 'false', parse: flag },
  skipMigrations: {
    key: 'skipMigrations',
    variable: 'BOOT_SKIP_MIGRATIONS',
    fallback: 'false',
    parse: flag,
  },
  skipSnapshot: {
    key: 'skipSnapshot',
    variable: 'BOOT_SKIP_SNAPSHOT',
    fallback: 'false',
    parse: flag,
  },
};

export const SETTING_VARIABLES = Object.values(SPECS).map((spec) => spec.variable);

/**
 * Reads the boot settings from the environment. Every problem (bad values and unknown
 * `BOOT_*` variables, which are usually typos) is collected first and reported in one error,
 * so an operator fixes them in one round instead of one per restart.
 */
export function readSettings(env: Record<string, unknown>): BootSettings {
  const problems: string[] = [];
  const settings: Partial<Record<keyof BootSettings, unknown>> = {};

  for (const spec of Object.values(SPECS) as SettingSpec<keyof BootSettings>[]) {
    const given = env[spec.variable];
    const raw = given === undefined || given === null ? spec.fallback : String(given);
    const parsed = spec.parse(raw);

    if (typeof parsed === 'object' && parsed !== null && 'problem' in parsed) {
      problems.push(`${spec.variable} ${parsed.problem}`);
    } else {
      settings[spec.key] = parsed;
    }
  }

  for (const variable of Object.keys(env)) {
    if (variable.startsWith(PREFIX) && !SETTING_VARIABLES.includes(variable)) {
      problems.push(`${variable} is not a setting (known: ${SETTING_VARIABLES.join(', ')})`);
    }
  }

  if (problems.length > 0) {
    throw new BootError('config', `${problems.length} invalid setting(s): ${problems.join('; ')}`);
  }

  return settings as BootSettings;
}
