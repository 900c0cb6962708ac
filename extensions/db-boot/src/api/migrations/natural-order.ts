/**
 * Migration files are ordered by their names with every run of digits compared as a number,
 * so `2-x.sql` comes before `10-x.sql` and `00010-x.sql` after `0009-x.sql`, as their authors
 * meant. Text is compared by code point, never by locale, so the order is the same on every
 * machine. Digit runs are compared as text without leading zeros, so long timestamps keep
 * their precision.
 */
export function compareNatural(left: string, right: string): number {
  const a = chunks(left);
  const b = chunks(right);

  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const order = compareChunks(a[index]!, b[index]!);
    if (order !== 0) return order;
  }

  return a.length - b.length;
}

function chunks(name: string): string[] {
  return name.match(/\d+|\D+/g) ?? [];
}

function compareChunks(x: string, y: string): number {
  const xIsNumber = /^\d/.test(x);
  const yIsNumber = /^\d/.test(y);
  // A number sorts before text, so `1-a` comes before `a-1`.
  if (xIsNumber !== yIsNumber) return xIsNumber ? -1 : 1;
  if (!xIsNumber) return x < y ? -1 : x > y ? 1 : 0;

  const xDigits = x.replace(/^0+(?=\d)/, '');
  const yDigits = y.replace(/^0+(?=\d)/, '');
  if (xDigits.length !== yDigits.length) return xDigits.length - yDigits.length;

  return xDigits < yDigits ? -1 : xDigits > yDigits ? 1 : 0;
}
