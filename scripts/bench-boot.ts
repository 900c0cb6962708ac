// `npm run bench:boot`: what the extension adds to every start. Boots Directus on a warm
// database (migrations applied, schema in sync) with and without the extension, in
// alternating rounds, and prints the time from spawn to the first `pong` and the resident
// memory at that moment, with medians and the ratio against the baseline.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { percentile, residentMemoryMb } from './lib/bench-figures.ts';
import { startBenchInstance, type BenchInstance } from './lib/bench-instance.ts';
import { startDirectus } from './lib/directus-process.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

type Sample = { ms: number; rssMb: number };

/** Milliseconds from spawn to the first pong, and the process's resident memory then (MB). */
async function measure(bench: BenchInstance, withExtension: boolean): Promise<Sample> {
  // The baseline loads its extensions from an empty folder.
  const extra: Record<string, string> = withExtension
    ? {}
    : { EXTENSIONS_PATH: join(bench.scratch, 'no-extensions') };
  const started = performance.now();
  const directus = startDirectus({ env: bench.env(extra), cwd: bench.cwd });
  try {
    await directus.waitUntilServing();

    return { ms: performance.now() - started, rssMb: residentMemoryMb(directus.pid).rss };
  } finally {
    await directus.stop();
  }
}

const bench = await startBenchInstance('bench-boot');
try {
  mkdirSync(join(bench.scratch, 'no-extensions'));
  await measure(bench, true); // Applies migrations and snapshot once, so every round is warm.

  const results: Record<'baseline' | 'extension', Sample[]> = { baseline: [], extension: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    const baseline = await measure(bench, false);
    const extension = await measure(bench, true);
    results.baseline.push(baseline);
    results.extension.push(extension);
    console.log(
      `round ${round}: baseline ${baseline.ms.toFixed(0)} ms ${baseline.rssMb.toFixed(0)} MB, ` +
        `with extension ${extension.ms.toFixed(0)} ms ${extension.rssMb.toFixed(0)} MB`,
    );
  }

  const summary = (label: string, unit: string, pick: (sample: Sample) => number) => {
    const baseline = percentile(results.baseline.map(pick), 0.5);
    const extension = percentile(results.extension.map(pick), 0.5);
    const ratio = (extension / baseline).toFixed(2);
    console.log(
      `median ${label}: baseline ${baseline.toFixed(0)} ${unit}, ` +
        `with extension ${extension.toFixed(0)} ${unit}, ratio ${ratio}`,
    );
  };
  summary('time to first pong', 'ms', (sample) => sample.ms);
  summary('resident memory', 'MB', (sample) => sample.rssMb);
} finally {
  await bench.dispose();
}
