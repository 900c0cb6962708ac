/** One deep-diff entry, as Directus's `SchemaService.diff` returns them. */
export interface DiffEntry {
  kind: 'N' | 'D' | 'E' | 'A';
  path?: (string | number)[];
  lhs?: unknown;
  rhs?: unknown;
  index?: number;
  item?: DiffEntry;
}

export interface SchemaDiff {
  collections: { collection: string; diff: DiffEntry[] }[];
  fields: { collection: string; field: string; diff: DiffEntry[] }[];
  systemFields?: { collection: string; field: string; diff: DiffEntry[] }[];
  relations: {
    collection: string;
    field: string;
    related_collection: string | null;
    diff: DiffEntry[];
  }[];
}

export type ChangeKind = 'create' | 'delete' | 'update';

/**
 * What Directus's `applyDiff` (api/src/utils/apply-diff.ts) will do with one item's diff. It
 * looks at the first entry only: a collection whose first entry is a deletion is dropped even
 * when that entry only removes a key of its meta (a snapshot written by an older Directus lacks
 * keys), and a field likewise unless the key is under `meta`. The plan and the destructive
 * guard must follow the same rule, or they would call a drop an update.
 */
export function changeKind(noun: 'collection' | 'field' | 'other', diff: DiffEntry[]): ChangeKind {
  const first = diff[0];
  if (first === undefined) return 'update';
  if (noun === 'field' && isNestedMetaChange(first)) return 'update';
  if (first.kind === 'N') return 'create';
  if (first.kind === 'D') return 'delete';

  return 'update';
}

/** Directus's `isNestedMetaUpdate`: a key added to or removed from a field's meta. */
function isNestedMetaChange(entry: DiffEntry): boolean {
  const path = entry.path ?? [];

  return (entry.kind === 'N' || entry.kind === 'D') && path.length >= 2 && path[0] === 'meta';
}

/** Whether a deletion comes from an entry that removes only a part of the item. */
export function isPartialDelete(diff: DiffEntry[]): boolean {
  return (diff[0]?.path ?? []).length > 0;
}

/**
 * Whether deleting the item would drop data: folders (collections without a table) and alias
 * fields (no column) hold none. A partial delete drops the table or column it belongs to.
 */
export function deletionDropsData(diff: DiffEntry[]): boolean {
  if (isPartialDelete(diff)) return true;

  return ((diff[0]?.lhs as { schema?: unknown } | undefined)?.schema ?? null) !== null;
}
