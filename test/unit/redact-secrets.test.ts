import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../extensions/db-boot/src/api/common/redact-secrets';

describe('redacting the password of a URL', () => {
  it.each([
    ['postgres://postgres:hunter2@db:5432/x', 'postgres://postgres:***@db:5432/x'],
    ['postgresql://report:hunter2@host/db', 'postgresql://report:***@host/db'],
    ['REDIS://:pw@cache:6379', 'REDIS://:***@cache:6379'],
    ['amqp+ssl://user:p:a@ss@queue?x=1', 'amqp+ssl://user:***@queue?x=1'],
    ["RAISE 'mysql://u:%40pw@h' ", "RAISE 'mysql://u:***@h' "],
    ['a://u:1@h and b://v:2@i', 'a://u:***@h and b://v:***@i'],
  ])('%s', (text, redacted) => {
    expect(redactSecrets(text, {})).toBe(redacted);
  });

  it.each([
    'postgres://db:5432/x',
    'postgres://user@db/x',
    'postgres://user:@db/x',
    'https://example.com/a:b@c',
    'see postgres://db:5432 or mail ops@example.com',
  ])('leaves %s, which holds none, as it is', (text) => {
    expect(redactSecrets(text, {})).toBe(text);
  });
});

describe('redacting the values of secret variables', () => {
  it.each([
    'DB_PASSWORD',
    'DB_CONNECTION_STRING',
    'SECRET',
    'KEY',
    'ADMIN_PASSWORD',
    'ADMIN_TOKEN',
    'STORAGE_S3_KEY',
    'STORAGE_S3_SECRET',
    'AUTH_GITHUB_CLIENT_SECRET',
  ])('replaces the value of %s wherever it appears', (name) => {
    const text = redactSecrets('tried s3cr3t-value, then s3cr3t-value again', {
      [name]: 's3cr3t-value',
    });

    expect(text).toBe('tried ***, then *** again');
  });

  it('removes a whole connection string, not only its password', () => {
    const env = { DB_CONNECTION_STRING: 'postgres://app:pw@db/app' };

    expect(redactSecrets('cannot use postgres://app:pw@db/app', env)).toBe('cannot use ***');
  });

  it('replaces a longer secret whole when a shorter one is part of it', () => {
    const env = { SECRET: 'abcd', ADMIN_TOKEN: 'abcdefgh' };

    expect(redactSecrets('token abcdefgh, secret abcd', env)).toBe('token ***, secret ***');
  });

  it('reads the values Directus cast to numbers and arrays', () => {
    const env = { DB_PASSWORD: 73519046, ADMIN_TOKEN: ['first-part', 'second-part'] };

    expect(redactSecrets('73519046 first-part,second-part', env)).toBe('*** ***,***');
  });

  it.each([
    ['an empty value', { DB_PASSWORD: '' }],
    ['a value under 4 characters', { DB_PASSWORD: 'a', SECRET: 'ing' }],
    ['a value that is not text', { ADMIN_TOKEN: true, SECRET: null }],
    ['a variable that is no secret', { DB_USER: 'postgres', DB_DATABASE: 'directus' }],
  ])('leaves the text alone for %s', (_, env) => {
    const text = 'failed: relation "a" of database directus owned by postgres (ing) true';

    expect(redactSecrets(text, env)).toBe(text);
  });

  it('changes nothing else in the text', () => {
    const text =
      'db-init: 0004-x.sql:5:16: relation "t" does not exist (SQLSTATE 42P01)\n' +
      '  (statement: INSERT INTO t SELECT * FROM u WHERE a = $1)';

    expect(redactSecrets(text, { DB_PASSWORD: 'hunter2', SECRET: 'x'.repeat(32) })).toBe(text);
  });
});
