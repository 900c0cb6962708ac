import { describe, expect, it } from 'vitest';
import { destructiveChanges } from '../../extensions/db-boot/src/api/snapshot/destructive-changes';
import { planLines } from '../../extensions/db-boot/src/api/snapshot/plan-text';
import type { SchemaDiff } from '../../extensions/db-boot/src/api/snapshot/schema-diff';

const empty: SchemaDiff = { collections: [], fields: [], relations: [], systemFields: [] };

const diff: SchemaDiff = {
  collections: [
    { collection: 'sites', diff: [{ kind: 'N', rhs: { collection: 'sites' } }] },
    {
      collection: 'old_table',
      diff: [{ kind: 'D', lhs: { collection: 'old_table', schema: { name: 'old_table' } } }],
    },
    {
      collection: 'old_folder',
      diff: [{ kind: 'D', lhs: { collection: 'old_folder', schema: null } }],
    },
    { collection: 'devices', diff: [{ kind: 'E', path: ['meta', 'note'], lhs: 'a', rhs: 'b' }] },
  ],
  fields: [
    { collection: 'devices', field: 'imei', diff: [{ kind: 'N', rhs: {} }] },
    {
      collection: 'devices',
      field: 'legacy',
      diff: [{ kind: 'D', lhs: { schema: { name: 'legacy' } } }],
    },
    { collection: 'devices', field: 'alerts', diff: [{ kind: 'D', lhs: { schema: null } }] },
    {
      collection: 'devices',
      field: 'label',
      diff: [
        { kind: 'E', path: ['schema', 'max_length'], lhs: 255, rhs: 100 },
        { kind: 'N', path: ['meta', 'note'], rhs: 'shown in lists' },
      ],
    },
  ],
  relations: [
    {
      collection: 'devices',
      field: 'site',
      related_collection: 'sites',
      diff: [{ kind: 'N', rhs: {} }],
    },
  ],
  systemFields: [
    {
      collection: 'directus_users',
      field: 'email',
      diff: [{ kind: 'E', path: ['schema', 'is_indexed'], lhs: false, rhs: true }],
    },
  ],
};

describe('the plan', () => {
  it('has one line per changed item, marked + created, - deleted, ~ updated', () => {
    expect(planLines(diff)).toEqual([
      '+ collection sites',
      '- collection old_table (drops its table)',
      '- collection old_folder',
      '~ collection devices: meta.note "a" -> "b"',
      '+ field devices.imei',
      '- field devices.legacy (drops its column)',
      '- field devices.alerts',
      '~ field devices.label: schema.max_length 255 -> 100, meta.note set to "shown in lists"',
      '+ relation devices.site -> sites',
      '~ system field directus_users.email: schema.is_indexed false -> true',
    ]);
  });

  it('is empty for an empty diff', () => {
    expect(planLines(empty)).toEqual([]);
  });
});

describe('destructive changes', () => {
  it('are dropped tables, dropped or shortened columns; not folders, aliases, relations', () => {
    expect(destructiveChanges(diff)).toEqual([
      'collection old_table (table dropped)',
      'field devices.legacy (column dropped)',
      'field devices.label (max_length 255 -> 100 cuts longer values)',
    ]);
  });
});

describe('partial changes, read as Directus applies them', () => {
  const partial: SchemaDiff = {
    collections: [
      {
        collection: 'notes',
        diff: [
          { kind: 'D', path: ['meta', 'archive_field'], lhs: null },
          { kind: 'E', path: ['meta', 'icon'], lhs: 'a', rhs: 'b' },
        ],
      },
    ],
    fields: [
      {
        collection: 'notes',
        field: 'body',
        diff: [{ kind: 'D', path: ['meta', 'note'], lhs: 'x' }],
      },
      {
        collection: 'notes',
        field: 'id',
        diff: [{ kind: 'D', path: ['schema', 'is_indexed'], lhs: false }],
      },
    ],
    relations: [],
  };

  it('calls a collection whose first change removes a key a drop, as Directus does', () => {
    expect(planLines(partial)).toEqual([
      '- collection notes (drops its table: ' +
        'Directus applies "meta.archive_field removed" as a drop)',
      '~ field notes.body: meta.note removed',
      '- field notes.id (drops its column: Directus applies "schema.is_indexed removed" as a drop)',
    ]);
  });

  it('refuses those drops as destructive', () => {
    expect(destructiveChanges(partial)).toEqual([
      'collection notes (table dropped)',
      'field notes.id (column dropped)',
    ]);
  });
});

describe('changes that rewrite existing values', () => {
  const field = (diff: SchemaDiff['fields'][number]['diff']) => ({
    collections: [],
    fields: [{ collection: 'tags', field: 'color', diff }],
    relations: [],
  });

  it.each([
    [
      [{ kind: 'E', path: ['schema', 'max_length'], lhs: 7, rhs: 3 }],
      'max_length 7 -> 3 cuts longer values',
    ],
    [
      [{ kind: 'E', path: ['schema', 'max_length'], lhs: null, rhs: 255 }],
      'max_length null -> 255 cuts longer values',
    ],
    [
      [{ kind: 'E', path: ['type'], lhs: 'string', rhs: 'integer' }],
      'type string -> integer converts its values',
    ],
  ] as const)('are destructive: %j', (diff, reason) => {
    expect(destructiveChanges(field([...diff] as never))).toEqual([`field tags.color (${reason})`]);
  });

  it.each([
    [[{ kind: 'E', path: ['schema', 'max_length'], lhs: 3, rhs: 7 }]],
    [[{ kind: 'E', path: ['schema', 'max_length'], lhs: 7, rhs: null }]],
    [[{ kind: 'E', path: ['meta', 'note'], lhs: 'a', rhs: 'b' }]],
  ] as const)('are not destructive when they keep every value: %j', (diff) => {
    expect(destructiveChanges(field([...diff] as never))).toEqual([]);
  });
});
