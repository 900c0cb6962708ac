// `npm run bench:boot`: what the extension adds to every start. Boots Directus on a warm
// database (migrations applied, schema in sync) with and without the extension, in
// alternating rounds, and prints the time from spawn to the first `pong` and the resident
// memory at that moment, with medians and the ratio against the baseline.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directusEnv, REPO_ROOT } from './lib/directus-env.ts';
import { runDirectusCommand, startDirectus } from './lib/directus-process.ts';
import { startPostgres } from './lib/postgres-server.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const DIRECTUS_PORT = Number(process.env['BENCH_PORT'] ?? 8095);

const scratch = mkdtempSync(join(tmpdir(), 'bench-boot-'));
chmodSync(scratch, 0o755);
const instance = join(scratch, 'instance');
const noExtensions = join(scratch, 'no-extensions');
mkdirSync(noExtensions);
mkdirSync(instance);
writeFileSync(join(instance, 'package.json'), '{ "name": "bench-instance", "private": true }\n');

const postgres = await startPostgres({
  dataDir: join(scratch, 'postgres'),
  port: DIRECTUS_PORT + 1000,
  password: randomBytes(12).toString('hex'),
});

function env(withExtension: boolean): Record<string, string> {
  return directusEnv({
    postgres,
    database: 'bench',
    host: '127.0.0.1',
    port: DIRECTUS_PORT,
    secret: randomBytes(24).toString('hex'),
    admin: { email: 'admin@example.com', password: 'bench-password' },
    uploadsDir: join(scratch, 'uploads'),
    extra: {
      BOOT_MIGRATIONS_PATH: join(REPO_ROOT, 'db-init'),
      BOOT_SNAPSHOT_PATH: join(REPO_ROOT, 'snapshots', 'schema.yaml'),
      ...(withExtension ? {} : { EXTENSIONS_PATH: noExtensions }),
    },
  });
}

/** Milliseconds from spawn to the first pong, and the process's resident memory then (MB). */
async function measure(withExtension: boolean): Promise<{ ms: number; rssMb: number }> {
  const started = performance.now();
  const directus = startDirectus({ env: env(withExtension), cwd: instance });
  try {
    await directus.waitUntilServing();
    const ms = performance.now() - started;
    const status = readFileSync(`/proc/${directus.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);

    return { ms, rssMb: rssKb / 1024 };
  } finally {
    await directus.stop();
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  await postgres.createDatabase('bench');
  const bootstrap = await runDirectusCommand(['bootstrap'], { env: env(false), cwd: instance });
  if (bootstrap.code !== 0) throw new Error(`bootstrap failed:\n${bootstrap.output}`);
  await measure(true); // Applies migrations and snapshot once, so every round below is warm.

  type Sample = { ms: number; rssMb: number };
  const results: Record<'baseline' | 'extension', Sample[]> = { baseline: [], extension: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    const baseline = await measure(false);
    const extension = await measure(true);
    results.baseline.push(baseline);
    results.extension.push(extension);
    console.log(
      `round ${round}: baseline ${baseline.ms.toFixed(0)} ms ${baseline.rssMb.toFixed(0)} MB, ` +
        `with extension ${extension.ms.toFixed(0)} ms ${extension.rssMb.toFixed(0)} MB`,
    );
  }

  const summary = (label: string, unit: string, pick: (sample: Sample) => number) => {
    const baseline = median(results.baseline.map(pick));
    const extension = median(results.extension.map(pick));
    const ratio = (extension / baseline).toFixed(2);
    console.log(
      `median ${label}: baseline ${baseline.toFixed(0)} ${unit}, ` +
        `with extension ${extension.toFixed(0)} ${unit}, ratio ${ratio}`,
    );
  };
  summary('time to first pong', 'ms', (sample) => sample.ms);
  summary('resident memory', 'MB', (sample) => sample.rssMb);
} finally {
  await postgres.stop();
  rmSync(scratch, { recursive: true, force: true });
}
