/** Variables whose values are secrets, besides those named by SECRET_SUFFIX. */
const SECRET_NAMES = new Set(['DB_CONNECTION_STRING', 'SECRET', 'KEY']);

/** DB_PASSWORD, ADMIN_PASSWORD, ADMIN_TOKEN, STORAGE_S3_SECRET, EMAIL_SMTP_PASSWORD, ... */
const SECRET_SUFFIX = /_(PASSWORD|SECRET|TOKEN|KEY)$/;

/** Shorter values are left alone: redacting every `a` or `on` would garble the text. */
const MIN_SECRET_LENGTH = 4;

/**
 * `scheme://user:password@`, for any scheme and an empty user too (`redis://:pw@`). The
 * password runs to the last `@` of the authority, as an unencoded `@` in it is common.
 */
const URL_PASSWORD = /([a-z][a-z\d+.-]*:\/\/[^\s:/?#@]*):[^\s/?#]+@/gi;

/**
 * The text with the values of Directus's secret variables and the passwords in URLs replaced
 * by `***`. The error of a migration or of PostgreSQL can quote either (a script that builds a
 * connection string from DB_PASSWORD, a RAISE that names a URL), and that error reaches the
 * log, db_boot.boots and, through it, the status endpoint and the admin panel.
 */
export function redactSecrets(text: string, env: Record<string, unknown>): string {
  // Whole values first, so that a connection string goes entirely, not only its password.
  const withoutValues = secretValues(env).reduce(
    (redacted, secret) => redacted.replaceAll(secret, '***'),
    text,
  );

  return withoutValues.replace(URL_PASSWORD, '$1:***@');
}

/** The secret values in the environment, longest first: none is left half visible. */
function secretValues(env: Record<string, unknown>): string[] {
  return (
    Object.entries(env)
      .filter(([name]) => SECRET_NAMES.has(name) || SECRET_SUFFIX.test(name))
      // Directus casts its variables: a password can come as a number, a token with a comma
      // as an array.
      .flatMap(([, value]) => [value].flat())
      .filter((value) => typeof value === 'string' || typeof value === 'number')
      .map(String)
      .filter((value) => value.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length)
  );
}
