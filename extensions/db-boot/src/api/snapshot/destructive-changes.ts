import { changeKind, deletionDropsData, type DiffEntry, type SchemaDiff } from './schema-diff';

/**
 * The changes of a diff that destroy data, by Directus's own reading of the diff (see
 * `changeKind`): collections whose table it would drop, fields whose column it would drop, and
 * column changes that rewrite existing values: another type (a conversion that may fail or
 * round), or a shorter maximum length (PostgreSQL cuts strings to it). Removing a folder, an
 * alias field or a relation keeps every row and value, so those pass.
 */
export function destructiveChanges(diff: SchemaDiff): string[] {
  const drops = (noun: 'collection' | 'field', entries: DiffEntry[]) =>
    changeKind(noun, entries) === 'delete' && deletionDropsData(entries);

  return [
    ...diff.collections
      .filter(({ diff: entries }) => drops('collection', entries))
      .map(({ collection }) => `collection ${collection} (table dropped)`),
    ...diff.fields.flatMap(({ collection, field, diff: entries }) => {
      if (drops('field', entries)) return [`field ${collection}.${field} (column dropped)`];
      if (changeKind('field', entries) !== 'update') return [];

      return entries
        .map(rewritesValues)
        .filter((reason): reason is string => reason !== undefined)
        .map((reason) => `field ${collection}.${field} (${reason})`);
    }),
  ];
}

function rewritesValues(entry: DiffEntry): string | undefined {
  if (entry.kind !== 'E') return undefined;
  const path = (entry.path ?? []).join('.');

  if (path === 'type' || path === 'schema.data_type') {
    return `${path} ${String(entry.lhs)} -> ${String(entry.rhs)} converts its values`;
  }
  if (path === 'schema.max_length' && shorter(entry.lhs, entry.rhs)) {
    return `max_length ${String(entry.lhs)} -> ${String(entry.rhs)} cuts longer values`;
  }

  return undefined;
}

/** A new limit below the old one; null stands for no limit at all. */
function shorter(before: unknown, after: unknown): boolean {
  if (after === null || after === undefined) return false;

  return before === null || before === undefined || Number(after) < Number(before);
}

/** The boot's refusal of destructive changes, shown the same way by the status. */
export function destructiveRefusal(path: string, drops: string[]): string {
  return (
    `${path}: refused ${drops.length} destructive change(s): ${drops.join(', ')} ` +
    '(restore them in the snapshot, or set BOOT_ALLOW_DESTRUCTIVE=true)'
  );
}
