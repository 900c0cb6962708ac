import {
  changeKind,
  deletionDropsData,
  isPartialDelete,
  type DiffEntry,
  type SchemaDiff,
} from './schema-diff';

const SIGNS = { create: '+', delete: '-', update: '~' } as const;

/**
 * One line per changed item, for the log and for reviewers: `+` creates, `-` deletes,
 * `~` updates, followed by what changes. Stable wording: operators grep it.
 */
export function planLines(diff: SchemaDiff): string[] {
  return [
    ...diff.collections.map(({ collection, diff: entries }) =>
      line('collection', collection, entries, 'table'),
    ),
    ...diff.fields.map(({ collection, field, diff: entries }) =>
      line('field', `${collection}.${field}`, entries, 'column'),
    ),
    ...diff.relations.map(({ collection, field, related_collection, diff: entries }) =>
      line('relation', `${collection}.${field} -> ${related_collection ?? '(any)'}`, entries),
    ),
    ...(diff.systemFields ?? []).map(({ collection, field, diff: entries }) =>
      line('system field', `${collection}.${field}`, entries),
    ),
  ];
}

function line(noun: string, name: string, entries: DiffEntry[], storage?: string): string {
  const kind = changeKind(noun === 'collection' || noun === 'field' ? noun : 'other', entries);
  const head = `${SIGNS[kind]} ${noun} ${name}`;

  if (kind === 'create') return head;
  if (kind === 'update') return `${head}: ${entries.map(describeEdit).join(', ')}`;
  if (storage === undefined || !deletionDropsData(entries)) return head;
  if (!isPartialDelete(entries)) return `${head} (drops its ${storage})`;

  // Directus drops the whole item when the first change removes one of its keys.
  const first = describeEdit(entries[0]!);

  return `${head} (drops its ${storage}: Directus applies "${first}" as a drop)`;
}

function describeEdit(entry: DiffEntry): string {
  const path = (entry.path ?? []).join('.');

  switch (entry.kind) {
    case 'E':
      return `${path} ${show(entry.lhs)} -> ${show(entry.rhs)}`;
    case 'N':
      return `${path} set to ${show(entry.rhs)}`;
    case 'D':
      return `${path} removed`;
    case 'A':
      return `${path}[${entry.index}] ${entry.item ? describeEdit(entry.item).trim() : 'changed'}`;
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';

  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
