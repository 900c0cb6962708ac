// `npm run bench:status`: whether GET /db-boot/status stays fast on a schema of 80 collections.
// Builds that schema (the repository's snapshot plus generated collections with m2o relations),
// writes its snapshot with Directus's own CLI, boots Directus with the extension on it, and
// times the endpoint against Directus's GET /schema/snapshot (the schema read it cannot avoid)
// and GET /server/ping (the cost of any request), in alternating rounds, then once with drift.
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signIn } from './lib/admin-session.ts';
import { percentile, residentMemoryMb } from './lib/bench-figures.ts';
import { BENCH_ADMIN, startBenchInstance, type BenchInstance } from './lib/bench-instance.ts';
import { runDirectusCommand, startDirectus } from './lib/directus-process.ts';
import { addGeneratedCollections } from './lib/generated-schema.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 20);
const COLLECTIONS = 80;
const ENDPOINTS = ['/db-boot/status', '/schema/snapshot', '/server/ping'] as const;

type Status = { snapshot: { drift: string[]; error?: string } };

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const spread = (samples: number[]) =>
  `median ${ms(percentile(samples, 0.5))}, p95 ${ms(percentile(samples, 0.95))}`;

/** Directus's environment on a given snapshot; a slow run must outlive its sign-in (15 min). */
const envOn = (bench: BenchInstance, snapshotPath?: string) =>
  bench.env({
    ...(snapshotPath === undefined ? {} : { BOOT_SNAPSHOT_PATH: snapshotPath }),
    ACCESS_TOKEN_TTL: '2h',
  });

/**
 * Boots on the repository's snapshot, adds collections through the REST API until there are
 * 80, and writes their snapshot with `directus schema snapshot`, so that it is exactly what
 * Directus reads back (a hand-written file would drift on some default).
 */
async function writeSchemaOf80(bench: BenchInstance, target: string): Promise<void> {
  const repoSnapshot = bench.env()['BOOT_SNAPSHOT_PATH']!;
  const repoCollections = (load(readFileSync(repoSnapshot, 'utf8')) as { collections: unknown[] })
    .collections.length;
  const directus = startDirectus({ env: envOn(bench), cwd: bench.cwd });
  try {
    await directus.waitUntilServing();
    const session = await signIn(bench.base, BENCH_ADMIN);
    const started = performance.now();
    const { relations } = await addGeneratedCollections(session, COLLECTIONS - repoCollections);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `setup: ${COLLECTIONS - repoCollections} collections and ${relations} relations ` +
        `added to the repository's ${repoCollections} in ${seconds} s`,
    );
  } finally {
    await directus.stop();
  }

  const snapshot = await runDirectusCommand(['schema', 'snapshot', '--yes', target], {
    env: envOn(bench, target),
    cwd: bench.cwd,
  });
  if (snapshot.code !== 0) throw new Error(`schema snapshot failed:\n${snapshot.output}`);

  const written = load(readFileSync(target, 'utf8')) as Record<string, unknown[]>;
  const counts = ['collections', 'fields', 'relations'].map((key) => written[key]!.length);
  console.log(
    `setup: snapshot of ${counts[0]} collections, ${counts[1]} fields, ${counts[2]} relations ` +
      `(${(readFileSync(target).length / 1024).toFixed(0)} KB of YAML)`,
  );
  if (counts[0] !== COLLECTIONS) {
    throw new Error(`the snapshot holds ${counts[0]} collections, not ${COLLECTIONS}`);
  }
}

/** Milliseconds per request, body read included; any answer but 2xx fails the run. */
async function timeRequests(bench: BenchInstance, path: string, token: string, count: number) {
  const samples: number[] = [];

  for (let request = 0; request < count; request++) {
    const started = performance.now();
    const response = await fetch(`${bench.base}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await response.text();
    samples.push(performance.now() - started);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${body}`);
  }

  return samples;
}

/** Alternating rounds over ENDPOINTS, rotated so that none always runs first. */
async function timeEndpoints(bench: BenchInstance, token: string) {
  for (const path of ENDPOINTS) await timeRequests(bench, path, token, 3); // JIT, first loads.

  const samples = Object.fromEntries(ENDPOINTS.map((path) => [path, [] as number[]]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = ENDPOINTS.map((_, index) => ENDPOINTS[(index + round) % ENDPOINTS.length]!);
    const medians: string[] = [];
    for (const path of order) {
      const times = await timeRequests(bench, path, token, REQUESTS);
      samples[path]!.push(...times);
      medians.push(`${path} ${ms(percentile(times, 0.5))}`);
    }
    console.log(`round ${round + 1} (${REQUESTS} requests each, median): ${medians.join(', ')}`);
  }

  for (const path of ENDPOINTS) {
    console.log(`${`GET ${path}`.padEnd(22)} ${spread(samples[path]!)}`);
  }
  const ratio = (share: number) =>
    (
      percentile(samples['/db-boot/status']!, share) /
      percentile(samples['/schema/snapshot']!, share)
    ).toFixed(2);
  console.log(`ratio status / schema snapshot: median ${ratio(0.5)}, p95 ${ratio(0.95)}`);
}

async function measure(bench: BenchInstance, schemaOf80: string): Promise<void> {
  const directus = startDirectus({ env: envOn(bench, schemaOf80), cwd: bench.cwd });
  try {
    await directus.waitUntilServing();
    const before = residentMemoryMb(directus.pid);
    const bootLine = /schema: no changes[^\n"]*/.exec(directus.output());
    console.log(`setup: booted with the extension on it: ${bootLine?.[0] ?? '(no schema line?)'}`);
    const session = await signIn(bench.base, BENCH_ADMIN);

    // The numbers mean something only on the state they claim: 80 collections, in sync.
    const live = (await session.requestOk('GET', '/schema/snapshot')) as {
      data: { collections: unknown[] };
    };
    if (live.data.collections.length !== COLLECTIONS) {
      throw new Error(`the live schema has ${live.data.collections.length} collections`);
    }
    const inSync = (await session.requestOk('GET', '/db-boot/status')) as Status;
    if (inSync.snapshot.error !== undefined || inSync.snapshot.drift.length > 0) {
      throw new Error(`the live schema drifts from the snapshot: ${JSON.stringify(inSync)}`);
    }

    await timeEndpoints(bench, session.token);

    // A field Directus tracks but the snapshot lacks: the diff is no longer empty.
    const probe = { field: 'drift_probe', type: 'string', meta: { interface: 'input' } };
    await session.requestOk('POST', '/fields/generated_01', probe);
    const drifted = (await session.requestOk('GET', '/db-boot/status')) as Status;
    if (drifted.snapshot.drift.length === 0) throw new Error('the added field shows no drift');
    const withDrift = await timeRequests(bench, '/db-boot/status', session.token, REQUESTS);
    console.log(
      `GET /db-boot/status with drift (${drifted.snapshot.drift.join('; ')}): ` + spread(withDrift),
    );

    const after = residentMemoryMb(directus.pid);
    console.log(
      `Directus resident memory: ${before.rss.toFixed(0)} MB before the requests, ` +
        `${after.rss.toFixed(0)} MB after (peak ${after.peak.toFixed(0)} MB)`,
    );
  } finally {
    await directus.stop();
  }
}

const bench = await startBenchInstance('bench-status');
try {
  const schemaOf80 = join(bench.scratch, 'schema-80.yaml');
  await writeSchemaOf80(bench, schemaOf80);
  await measure(bench, schemaOf80);
} finally {
  await bench.dispose();
}
