import { describe, expect, it } from 'vitest';
import { compareNatural } from '../../extensions/db-boot/src/api/migrations/natural-order';

const sorted = (names: string[]) => [...names].sort(compareNatural);

describe('migration order', () => {
  it('compares runs of digits as numbers, so unpadded numbers sort as meant', () => {
    expect(sorted(['10-c.sql', '2-b.sql', '1-a.sql'])).toEqual(['1-a.sql', '2-b.sql', '10-c.sql']);
  });

  it('puts a mis-padded 00010 after 0009, not between 0001 and 0002', () => {
    expect(sorted(['0002-b.sql', '00010-j.sql', '0001-a.sql', '0009-i.sql'])).toEqual([
      '0001-a.sql',
      '0002-b.sql',
      '0009-i.sql',
      '00010-j.sql',
    ]);
  });

  it('orders staged names number by number', () => {
    expect(
      sorted(['migration-2-0001-x.sql', 'migration-1-0014-x.sql', 'migration-1-0002-x.sql']),
    ).toEqual(['migration-1-0002-x.sql', 'migration-1-0014-x.sql', 'migration-2-0001-x.sql']);
  });

  it('keeps long timestamps exact', () => {
    expect(compareNatural('20240101120000000001-a.sql', '20240101120000000002-a.sql')).toBeLessThan(
      0,
    );
  });

  it('sorts numbers before text and compares text by code point, not locale', () => {
    expect(sorted(['b.sql', 'a.sql', 'B.sql', '1.sql'])).toEqual([
      '1.sql',
      'B.sql',
      'a.sql',
      'b.sql',
    ]);
  });

  it('finds names equal when only zero padding differs', () => {
    expect(compareNatural('01-a.sql', '1-a.sql')).toBe(0);
  });
});
