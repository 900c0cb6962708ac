import { readFileSync } from 'node:fs';

/** Nearest-rank percentile: `share` 0.5 is the median. */
export function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!;
}

/** A process's resident memory now and at its peak, in MB, from /proc. */
export function residentMemoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);

  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
