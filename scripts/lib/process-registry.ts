import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every server process our scripts and tests start, by PID, so that whatever ends the run
 * (a failed assertion, an exception, Ctrl-C) can still stop them. The `exit` handler is the
 * last resort: it runs synchronously, so it can only send SIGKILL.
 */
const running = new Map<number, string>();

export function track(pid: number | undefined, name: string): void {
  if (pid !== undefined) running.set(pid, name);
}

export function untrack(pid: number | undefined): void {
  if (pid !== undefined) running.delete(pid);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);

    return true;
  } catch {
    return false;
  }
}

/**
 * Sends SIGTERM, waits up to `graceMs` for the process to end, then SIGKILL; then kills what
 * it leaves behind of its children (a supervisor such as pm2 killed hard leaves its workers).
 */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  const children = descendantsOf(pid);

  if (isAlive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(20);
  }

  for (const child of children.filter(isAlive)) process.kill(child, 'SIGKILL');
  untrack(pid);
}

/** The PIDs of a process's children, grandchildren and so on, read from /proc. */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();

  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // The parent PID is the 4th field of /proc/<pid>/stat, after the ")" that ends the name.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }

  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const children = parents.get(queue.shift()!) ?? [];
    found.push(...children);
    queue.push(...children);
  }

  return found;
}

/** Resolves when a child has exited, with its code (or 128 + signal number, as shells do). */
export function exitOf(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(128);

  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 128)));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

process.on('exit', () => {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});
