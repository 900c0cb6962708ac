import { changeKind, deletionDropsData, type DiffEntry, type SchemaDiff } from './schema-diff';

/**
 * The changes of a diff that destroy data: collections whose table Directus would drop and
 * fields whose column it would drop (by Directus's own reading of the diff, see `changeKind`).
 * Removing a folder, an alias field or a relation keeps every row and value, so those pass.
 */
export function destructiveChanges(diff: SchemaDiff): string[] {
  const drops = (noun: 'collection' | 'field', entries: DiffEntry[]) =>
    changeKind(noun, entries) === 'delete' && deletionDropsData(entries);

  return [
    ...diff.collections
      .filter(({ diff: entries }) => drops('collection', entries))
      .map(({ collection }) => `collection ${collection} (table dropped)`),
    ...diff.fields
      .filter(({ diff: entries }) => drops('field', entries))
      .map(({ collection, field }) => `field ${collection}.${field} (column dropped)`),
  ];
}
