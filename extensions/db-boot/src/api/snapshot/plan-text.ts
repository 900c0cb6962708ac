import { changeKind, removedSchema, type DiffEntry, type SchemaDiff } from './schema-diff';

const SIGNS = { create: '+', delete: '-', update: '~' } as const;

/**
 * One line per changed item, for the log and for reviewers: `+` creates, `-` deletes,
 * `~` updates, followed by what changes. Stable wording: operators grep it.
 */
export function planLines(diff: SchemaDiff): string[] {
  return [
    ...diff.collections.map(({ collection, diff: entries }) =>
      line('collection', collection, entries, 'drops its table'),
    ),
    ...diff.fields.map(({ collection, field, diff: entries }) =>
      line('field', `${collection}.${field}`, entries, 'drops its column'),
    ),
    ...diff.relations.map(({ collection, field, related_collection, diff: entries }) =>
      line('relation', `${collection}.${field} -> ${related_collection ?? '(any)'}`, entries),
    ),
    ...(diff.systemFields ?? []).map(({ collection, field, diff: entries }) =>
      line('system field', `${collection}.${field}`, entries),
    ),
  ];
}

function line(noun: string, name: string, entries: DiffEntry[], dataLoss?: string): string {
  const kind = changeKind(entries);
  const head = `${SIGNS[kind]} ${noun} ${name}`;

  if (kind === 'create') return head;
  if (kind === 'delete') {
    return dataLoss && removedSchema(entries) !== null ? `${head} (${dataLoss})` : head;
  }

  return `${head}: ${entries.map(describeEdit).join(', ')}`;
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
