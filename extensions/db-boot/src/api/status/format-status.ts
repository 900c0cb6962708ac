import { holderText } from '../lock/advisory-lock';
import type { BootStatus } from './read-status';

/** Whether a boot would find work to do, or something it refuses. */
export function needsAttention(status: BootStatus): boolean {
  return (
    status.migrations.some((migration) => migration.state !== 'applied') ||
    status.snapshot.drift.length > 0 ||
    status.snapshot.error !== undefined ||
    status.refusals.length > 0
  );
}

/** The status as a terminal table, one migration a line, then the snapshot and last boot. */
export function formatStatus(status: BootStatus): string {
  const width = Math.max(4, ...status.migrations.map((migration) => migration.name.length));
  const rows = status.migrations.map(
    (migration) =>
      `${migration.name.padEnd(width)}  ${migration.state.padEnd(8)}  ` +
      `${(migration.appliedAt ?? '-').padEnd(24)}  ${migration.checksum.slice(0, 12)}`,
  );
  const { snapshot } = status;
  const drift = snapshot.error
    ? [`snapshot: ${snapshot.error}`]
    : snapshot.drift.length === 0
      ? [`snapshot ${snapshot.file}: in sync`]
      : [`snapshot ${snapshot.file}: ${snapshot.drift.length} difference(s)`].concat(
          snapshot.drift.map((line) => `  ${line}`),
        );
  const applied = snapshot.lastApplied
    ? `snapshot last applied: ${snapshot.lastApplied.at} (sha256 ` +
      `${snapshot.lastApplied.hash.slice(0, 12)}` +
      `${snapshot.lastApplied.hash === snapshot.hash ? ', the file as it is now' : ''})`
    : 'snapshot last applied: never by a boot';
  const boot = status.lastBoot
    ? `last boot: ${status.lastBoot.outcome} at ${status.lastBoot.finishedAt.toISOString()}` +
      ` (${status.lastBoot.process})${status.lastBoot.error ? `: ${status.lastBoot.error}` : ''}`
    : 'last boot: none recorded';
  const holder = status.lockHolder;
  const lock = holder
    ? `boot lock: held by ${holderText(holder)}` +
      `${holder.since ? ` since ${holder.since.toISOString()}` : ''}` +
      ' (a boot or a db-boot command is under way)'
    : 'boot lock: free';

  return [
    `${'file'.padEnd(width)}  state     ${'applied at'.padEnd(24)}  checksum`,
    ...rows,
    '',
    ...drift,
    applied,
    boot,
    lock,
    ...refusalLines(status),
  ].join('\n');
}

/** What a boot would do now: pending migrations, then the schema changes, or its refusal. */
export function formatPlan(status: BootStatus): string {
  const pending = status.migrations.filter((migration) => migration.state === 'pending');
  const lines = [
    ...pending.map((migration) => `db-init: would apply ${migration.name}`),
    ...status.snapshot.drift.map((line) => `schema: would apply ${line}`),
  ];
  if (status.refusals.length > 0) return refusalLines(status).join('\n');

  return lines.length === 0 ? 'nothing to do' : lines.join('\n');
}

function refusalLines(status: BootStatus): string[] {
  return status.refusals.length === 0
    ? []
    : ['a boot now would fail, refusing:', ...status.refusals.map((refusal) => `  ${refusal}`)];
}
