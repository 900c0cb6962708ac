/** Durations in log lines: seconds with one decimal (`0.4 s`), the unit operators read. */
export function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
