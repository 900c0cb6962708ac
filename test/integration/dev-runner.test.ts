import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/lib/directus-env.ts';
import { NODE_22 } from '../../scripts/lib/directus-process.ts';
import {
  descendantsOf,
  exitOf,
  isAlive,
  sleep,
  stopPid,
  track,
} from '../../scripts/lib/process-registry.ts';
import { freePort } from '../support/test-postgres';

const started: number[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((pid) => stopPid(pid)));
});

/** `npm run dev` without the build (the test run has built the extension already). */
async function runDev(dataDir: string, port: number, postgresPort: number) {
  const child = spawn(NODE_22, ['scripts/dev.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      DEV_DATA_DIR: dataDir,
      DEV_POSTGRES_PORT: String(postgresPort),
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child.pid, 'npm run dev');
  started.push(child.pid!);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !output.includes('Server started')) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited:\n${output}`);
    await sleep(100);
  }

  return { child, output: () => output };
}

/** `npm run db-boot -- <args>` against the dev database of `dataDir`. */
function devCli(dataDir: string, postgresPort: number, args: string[]) {
  const env = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    DEV_DATA_DIR: dataDir,
    DEV_POSTGRES_PORT: String(postgresPort),
    LOG_LEVEL: 'warn',
  };

  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      NODE_22,
      ['scripts/dev-cli.ts', 'db-boot', ...args],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
    );
  });
}

describe('npm run dev', () => {
  it('boots the embedded default, keeps its data, and stops leaving no process', async () => {
    const dataDir = mkdtempSync(join(inject('scratchDir'), 'dev-'));
    chmodSync(dataDir, 0o755);
    const port = await freePort();
    const postgresPort = await freePort();

    const noDatabase = await devCli(join(dataDir, 'never-started'), postgresPort, ['status']);
    expect(noDatabase.code).toBe(2);
    expect(noDatabase.output).toContain('start `npm run dev` first');

    const first = await runDev(dataDir, port, postgresPort);
    expect(first.output()).toContain('[dev] admin created: admin@example.com / directus-dev');
    expect(first.output()).toContain('db-init: 3 applied, 0 skipped');
    expect(await fetch(`http://127.0.0.1:${port}/server/ping`).then((r) => r.text())).toBe('pong');

    const children = descendantsOf(first.child.pid!);
    expect(children.length).toBeGreaterThanOrEqual(2);
    first.child.kill('SIGINT');
    expect(await exitOf(first.child)).toBe(0);
    expect(children.filter(isAlive)).toEqual([]);
    expect(first.output()).toContain('[dev] stopped');

    const second = await runDev(dataDir, port, postgresPort);
    expect(second.output()).toContain('db-init: 0 applied, 3 skipped');
    expect(second.output()).toContain('schema: no changes');
    const status = await devCli(dataDir, postgresPort, ['status']);
    expect(status.code).toBe(0);
    expect(status.output).toMatch(/snapshot \S+: in sync/);
    second.child.kill('SIGTERM');
    expect(await exitOf(second.child)).toBe(0);

    const stopped = await devCli(dataDir, postgresPort, ['status']);
    expect(stopped.code).toBe(1);
    expect(stopped.output).toContain(`could not reach PostgreSQL on port ${postgresPort}`);
  });
});
