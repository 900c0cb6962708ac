import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../scripts/lib/directus-env.ts';
import { sleep } from '../../../scripts/lib/process-registry.ts';

/** The image under test, built from the unchanged Dockerfile by test/image/run.sh. */
export const IMAGE = process.env['DB_BOOT_IMAGE'] ?? 'localhost/directus-db-boot:test';

/** The base image the Dockerfile names, for the size comparison. */
export const BASE_IMAGE = 'docker.io/directus/directus:11.17.4';

/**
 * Every container this run creates carries it, so that run.sh can remove what a killed run
 * left behind, and nothing of another run.
 */
export const RUN_LABEL = `db-boot-image-test=${process.env['DB_BOOT_IMAGE_RUN'] ?? process.pid}`;

const LOG_DIR = join(REPO_ROOT, 'test-artifacts', 'image');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs podman to its end; a non-zero exit is a result, not an error (health checks use it). */
export function podman(args: string[], timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      'podman',
      args,
      { timeout: timeoutMs, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
  });
}

/** Like podman(), for calls that must succeed: a failure throws with podman's own words. */
export async function podmanOk(args: string[], timeoutMs?: number): Promise<string> {
  const result = await podman(args, timeoutMs);
  if (result.code !== 0) {
    throw new Error(`podman ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  }

  return result.stdout.trim();
}

export interface Container {
  name: string;
  port: number;
  logs(): Promise<string>;
  /** `running`, `exited`, ... as podman reports it. */
  status(): Promise<string>;
  exitCode(): Promise<number>;
  /** Runs the image's HEALTHCHECK once: `healthy` or `unhealthy`, and podman's exit code. */
  healthcheck(): Promise<{ code: number; output: string }>;
  exec(command: string[]): Promise<string>;
  remove(): Promise<void>;
}

export interface RunOptions {
  name: string;
  port: number;
  env: Record<string, string>;
  /** host path -> container path, mounted read-only. */
  mounts?: Record<string, string>;
}

const created = new Set<string>();

/**
 * Starts the image detached on the host's network (PostgreSQL runs on the host), as a
 * container that stays after it exits, so its exit code and log can be read.
 */
export async function runContainer(options: RunOptions): Promise<Container> {
  const env = Object.entries({ ...options.env, PORT: String(options.port) }).flatMap(
    ([key, value]) => ['--env', `${key}=${value}`],
  );
  const mounts = Object.entries(options.mounts ?? {}).flatMap(([from, to]) => [
    '--volume',
    `${from}:${to}:ro`,
  ]);

  created.add(options.name);
  await podmanOk([
    'run',
    '--detach',
    '--name',
    options.name,
    '--label',
    RUN_LABEL,
    '--network=host',
    ...env,
    ...mounts,
    IMAGE,
  ]);

  return containerNamed(options.name, options.port);
}

function containerNamed(name: string, port: number): Container {
  const inspect = (format: string) => podmanOk(['inspect', '--format', format, name]);

  return {
    name,
    port,
    async logs() {
      const { stdout, stderr } = await podman(['logs', name]);
      const text = stdout + stderr;
      mkdirSync(LOG_DIR, { recursive: true });
      writeFileSync(join(LOG_DIR, `${name}.log`), text);

      return text;
    },
    status: () => inspect('{{.State.Status}}'),
    exitCode: async () => Number(await inspect('{{.State.ExitCode}}')),
    async healthcheck() {
      // podman also complains on stderr that it cannot reach systemd for its timers: noise.
      const { code, stdout } = await podman(['healthcheck', 'run', name]);

      return { code, output: stdout.trim() || (code === 0 ? 'healthy' : 'unhealthy') };
    },
    exec: (command) => podmanOk(['exec', name, ...command]),
    async remove() {
      await podman(['rm', '--force', '--time', '0', name]);
      created.delete(name);
    },
  };
}

/** Removes every container this run created and has not removed yet. */
export async function removeAllContainers(): Promise<void> {
  await Promise.all([...created].map((name) => containerNamed(name, 0).remove()));
}

/** GET /server/ping: `pong` once Directus serves, undefined while nothing answers. */
export async function ping(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/server/ping`, {
      signal: AbortSignal.timeout(2_000),
    });

    return await response.text();
  } catch {
    return undefined;
  }
}

/** Waits for `pong`; fails with the container's log if the container stops first. */
export async function waitUntilServing(container: Container, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await ping(container.port)) === 'pong') return;
    if ((await container.status()) !== 'running') break;
    await sleep(500);
  }

  const state = await container.status();
  throw new Error(`${container.name} not serving (${state}); log:\n${await container.logs()}`);
}

export interface ExitObservation {
  /** null when the container was still running at the bound. */
  code: number | null;
  afterMs: number;
  /** Whether /server/ping ever answered while we waited. */
  served: boolean;
}

/** Waits up to boundMs for the container to exit, probing the port all along. */
export async function waitForExit(container: Container, boundMs: number): Promise<ExitObservation> {
  const started = Date.now();
  let served = false;

  while (Date.now() - started < boundMs) {
    if ((await container.status()) === 'exited') {
      return { code: await container.exitCode(), afterMs: Date.now() - started, served };
    }
    served ||= (await ping(container.port)) !== undefined;
    await sleep(250);
  }

  return { code: null, afterMs: Date.now() - started, served };
}

/** Polls until check() is true; fails with what the container logged so far. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  container: Container,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if ((await container.status()) !== 'running') break;
    await sleep(200);
  }

  throw new Error(`gave up waiting for ${what}; ${container.name} log:\n${await container.logs()}`);
}
