import type { BootStatusJson } from '../../api/status/status-json';

/** Directus's theme colours for a state: a badge reads the same in light and dark themes. */
export type Tone = 'success' | 'warning' | 'danger' | 'neutral';

type MigrationState = BootStatusJson['migrations'][number]['state'];

/** Pending runs on the next boot; a changed or missing file makes the next boot refuse. */
export const STATE_TONE: Record<MigrationState, Tone> = {
  applied: 'success',
  pending: 'warning',
  changed: 'danger',
  missing: 'danger',
};

export const OUTCOME_TONE: Record<NonNullable<BootStatusJson['lastBoot']>['outcome'], Tone> = {
  ready: 'success',
  'plan-only': 'warning',
  failed: 'danger',
};

/** "3 applied" or "2 applied, 1 pending, 1 changed": the counts an administrator looks for. */
export function migrationSummary(status: BootStatusJson): string {
  if (status.migrations.length === 0) return 'no migrations';

  const counts = new Map<MigrationState, number>();
  for (const { state } of status.migrations) counts.set(state, (counts.get(state) ?? 0) + 1);
  const order: MigrationState[] = ['applied', 'pending', 'changed', 'missing'];

  return order
    .filter((state) => counts.has(state))
    .map((state) => `${counts.get(state)} ${state}`)
    .join(', ');
}

export function schemaSummary(snapshot: BootStatusJson['snapshot']): { text: string; tone: Tone } {
  if (snapshot.error !== undefined) return { text: 'cannot compare', tone: 'danger' };
  if (snapshot.drift.length === 0) return { text: 'in sync', tone: 'success' };

  const count = snapshot.drift.length;
  return { text: `${count} difference${count === 1 ? '' : 's'}`, tone: 'warning' };
}

/**
 * The line at the top: the counts, the schema, and whatever else turns it red or amber, so
 * that its colour never comes without its reason.
 */
export function headline(status: BootStatusJson): string {
  const parts = [migrationSummary(status), `schema ${schemaSummary(status.snapshot).text}`];
  if (status.refusals.length > 0) parts.push('next boot would fail');
  if (status.lastBoot?.outcome === 'failed') parts.push('last boot failed');
  if (status.lastBoot?.outcome === 'plan-only') parts.push('last boot planned only');

  return parts.join(' · ');
}

/** The worst tone among the migrations, the schema and the boots, for the headline. */
export function overallTone(status: BootStatusJson): Tone {
  const tones: Tone[] = [
    ...status.migrations.map((migration) => STATE_TONE[migration.state]),
    schemaSummary(status.snapshot).tone,
    ...(status.lastBoot ? [OUTCOME_TONE[status.lastBoot.outcome]] : []),
    ...(status.refusals.length > 0 ? (['danger'] as const) : []),
  ];
  const rank: Tone[] = ['danger', 'warning', 'success'];

  return rank.find((tone) => tones.includes(tone)) ?? 'neutral';
}

/** "12 ms", "0.4 s", "2 min 5 s": short enough for a table cell. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;

  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Local date and time, short enough for a table cell; the full ISO time goes in the title. */
type MigrationRow = BootStatusJson['migrations'][number];

/** Up to this many applied migrations, the table shows them all. */
const FOLD_ABOVE = 10;
/** Folded, the table keeps the latest applied ones: what the last deploys did. */
const KEEP_APPLIED = 5;

/**
 * The rows the migrations table shows. With many applied migrations, the earliest applied ones
 * are folded away, so that the schema and the last boot stay within reach; a row that needs
 * attention (pending, changed, missing) is never folded.
 */
export function visibleMigrations(
  migrations: MigrationRow[],
  showAll: boolean,
): { rows: MigrationRow[]; folded: number } {
  const applied = migrations.filter((migration) => migration.state === 'applied');
  if (showAll || applied.length <= FOLD_ABOVE) return { rows: migrations, folded: 0 };

  const hidden = new Set(applied.slice(0, applied.length - KEEP_APPLIED));

  return {
    rows: migrations.filter((migration) => !hidden.has(migration)),
    folded: hidden.size,
  };
}

/** Why the status may be about to change: someone holds the boot lock right now. */
export function lockNotice(holder: NonNullable<BootStatusJson['lockHolder']>): string {
  const where = holder.address ? ` at ${holder.address}` : '';
  const since = holder.since ? `, since ${new Date(holder.since).toLocaleTimeString()}` : '';

  return (
    `A boot or a db-boot command holds the boot lock (backend pid ${holder.pid}${where}` +
    `${since}): this status may change when it ends.`
  );
}

export function formatTime(iso: string | null): string {
  if (iso === null) return '–';

  return new Date(iso).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function bootDurationMs(boot: NonNullable<BootStatusJson['lastBoot']>): number {
  return Date.parse(boot.finishedAt) - Date.parse(boot.startedAt);
}
