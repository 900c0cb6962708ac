import { createHash } from 'node:crypto';

/**
 * The sha256 of a migration's text. Line endings are normalised first: a checkout with
 * CRLF endings (git's autocrlf on Windows) is the same migration and must not be refused.
 */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}
