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

/** What a diff does to one item: a whole item added or removed, or parts of it edited. */
export function changeKind(diff: DiffEntry[]): 'create' | 'delete' | 'update' {
  const whole = diff.length === 1 && (diff[0]!.path ?? []).length === 0 ? diff[0]!.kind : undefined;
  if (whole === 'N') return 'create';
  if (whole === 'D') return 'delete';

  return 'update';
}

/** The schema part of a removed item: null for folders and alias fields, which hold no data. */
export function removedSchema(diff: DiffEntry[]): unknown {
  return (diff[0]?.lhs as { schema?: unknown } | undefined)?.schema ?? null;
}
