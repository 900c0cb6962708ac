import { changeKind, removedSchema, type SchemaDiff } from './schema-diff';

/**
 * The changes of a diff that destroy data: collections whose table would be dropped and
 * fields whose column would be dropped. Removing a folder, an alias field or a relation keeps
 * every row and value, so those pass.
 */
export function destructiveChanges(diff: SchemaDiff): string[] {
  const drops = (entries: SchemaDiff['fields'][number]['diff']) =>
    changeKind(entries) === 'delete' && removedSchema(entries) !== null;

  return [
    ...diff.collections
      .filter(({ diff: entries }) => drops(entries))
      .map(({ collection }) => `collection ${collection} (table dropped)`),
    ...diff.fields
      .filter(({ diff: entries }) => drops(entries))
      .map(({ collection, field }) => `field ${collection}.${field} (column dropped)`),
  ];
}
