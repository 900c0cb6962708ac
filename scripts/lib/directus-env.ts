import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface DirectusEnvOptions {
  postgres: { host: string; port: number; user: string; password: string };
  database: string;
  host: string;
  port: number;
  secret: string;
  admin: { email: string; password: string };
  uploadsDir: string;
  /** Settings that differ per run: BOOT_*, LOG_STYLE, and so on. */
  extra?: Record<string, string>;
}

/**
 * The environment Directus runs with here, the same for `npm run dev` and the tests. It is
 * built from scratch rather than inherited, so that a developer's own DB_* or BOOT_* variables
 * cannot leak into a test.
 */
export function directusEnv(options: DirectusEnvOptions): Record<string, string> {
  const inherited = Object.fromEntries(
    ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR']
      .filter((name) => process.env[name] !== undefined)
      .map((name) => [name, process.env[name]!]),
  );

  return {
    ...inherited,
    NODE_ENV: 'production',
    DB_CLIENT: 'pg',
    DB_HOST: options.postgres.host,
    DB_PORT: String(options.postgres.port),
    DB_DATABASE: options.database,
    DB_USER: options.postgres.user,
    DB_PASSWORD: options.postgres.password,
    // Directus warns on every schema read about tables it cannot manage; the processor's
    // positions table has no primary key on purpose. The first two are Directus's defaults.
    DB_EXCLUDE_TABLES: 'spatial_ref_sys,sysdiagrams,positions',
    HOST: options.host,
    PORT: String(options.port),
    PUBLIC_URL: `http://${options.host}:${options.port}`,
    SECRET: options.secret,
    ADMIN_EMAIL: options.admin.email,
    ADMIN_PASSWORD: options.admin.password,
    EXTENSIONS_PATH: `${REPO_ROOT}extensions`,
    EXTENSIONS_MUST_LOAD: 'true',
    STORAGE_LOCAL_ROOT: options.uploadsDir,
    TELEMETRY: 'false',
    ...options.extra,
  };
}
