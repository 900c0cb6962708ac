import type { OnMismatch } from '../config/read-settings';
import { BootError } from '../common/boot-error';
import type { MigrationFile } from './find-migrations';
import type { HistoryRow } from './history-table';
import { compareNatural } from './natural-order';

export interface HistoryProblems {
  /** Applied migrations whose file no longer has the recorded checksum. */
  changed: { name: string; recorded: string; current: string }[];
  /** Applied migrations whose file is gone. */
  missing: string[];
  /** New files that sort before the last applied one, so they would run out of order. */
  outOfOrder: { name: string; lastApplied: string }[];
}

export function findHistoryProblems(
  files: MigrationFile[],
  history: HistoryRow[],
): HistoryProblems {
  const filesByName = new Map(files.map((file) => [file.name, file]));
  const appliedNames = new Set(history.map((row) => row.name));
  const lastApplied = history
    .map((row) => row.name)
    .filter((name) => filesByName.has(name))
    .sort(compareNatural)
    .at(-1);

  return {
    changed: history.flatMap((row) => {
      const file = filesByName.get(row.name);
      if (file === undefined || file.checksum === row.checksum) return [];

      return [{ name: row.name, recorded: row.checksum, current: file.checksum }];
    }),
    missing: history.filter((row) => !filesByName.has(row.name)).map((row) => row.name),
    outOfOrder: files
      .filter((file) => !appliedNames.has(file.name))
      .filter((file) => lastApplied !== undefined && compareNatural(file.name, lastApplied) < 0)
      .map((file) => ({ name: file.name, lastApplied: lastApplied! })),
  };
}

export interface HistoryPolicy {
  onChangedMigration: OnMismatch;
  onMissingMigration: OnMismatch;
}

export interface HistoryVerdict {
  /** What a boot refuses, one text per file. */
  refusals: string[];
  /** What to do about the refusals, one remedy per kind of problem; null when none. */
  remedy: string | null;
  /** What a boot only logs, because the policy says `warn`. */
  warnings: string[];
}

/**
 * Sorts the problems into what the policy refuses and what it only warns about. A new file
 * sorting before applied ones is always refused: running it now would apply migrations in an
 * order no fresh database ever sees. The status shows the same verdict the boot acts on.
 */
export function judgeHistoryProblems(
  problems: HistoryProblems,
  policy: HistoryPolicy,
): HistoryVerdict {
  const refusals: string[] = [];
  const warnings: string[] = [];
  const hints = new Set<string>();

  for (const { name, recorded, current } of problems.changed) {
    const text =
      `${name} changed after it was applied: ` + `recorded sha256 ${recorded}, file now ${current}`;
    if (policy.onChangedMigration === 'warn') {
      warnings.push(text);
    } else {
      refusals.push(text);
      hints.add(
        'a changed file: restore it, accept the reviewed change with ' +
          '`db-boot accept <file>`, or set BOOT_ON_CHANGED_MIGRATION=warn',
      );
    }
  }

  for (const name of problems.missing) {
    const text = `${name} was applied but its file is gone`;
    if (policy.onMissingMigration === 'warn') {
      warnings.push(text);
    } else {
      refusals.push(text);
      hints.add('a file gone: restore it, or set BOOT_ON_MISSING_MIGRATION=warn');
    }
  }

  for (const { name, lastApplied } of problems.outOfOrder) {
    refusals.push(`${name} is new but sorts before ${lastApplied}, which is applied`);
    hints.add('a file out of order: rename it so that it sorts last');
  }

  return { refusals, remedy: hints.size > 0 ? [...hints].join('; ') : null, warnings };
}

/** Refuses the boot on what the policy refuses, naming each file; returns the warnings. */
export function judgeHistory(problems: HistoryProblems, policy: HistoryPolicy): string[] {
  const { refusals, remedy, warnings } = judgeHistoryProblems(problems, policy);
  if (refusals.length > 0) {
    throw new BootError('db-init', `refused: ${refusals.join('; ')} (${remedy})`);
  }

  return warnings;
}
