import { describe, expect, it } from 'vitest';
import { checkSnapshotShape } from '../../extensions/db-boot/src/api/snapshot/check-shape';

const valid = {
  version: 1,
  directus: '11.17.4',
  vendor: 'postgres',
  collections: [{ collection: 'devices', meta: {}, schema: { name: 'devices' } }],
  fields: [{ collection: 'devices', field: 'id', type: 'integer', meta: {}, schema: {} }],
  relations: [],
};

describe('the shape of a snapshot file', () => {
  it('passes a snapshot as Directus writes it, with or without systemFields', () => {
    expect(checkSnapshotShape(valid)).toEqual([]);
    expect(checkSnapshotShape({ ...valid, systemFields: [] })).toEqual([]);
  });

  it('lists every problem with its path', () => {
    expect(
      checkSnapshotShape({
        version: '1',
        collections: [{ collection: '' }, 'devices'],
        fields: [{ collection: 'devices' }],
      }),
    ).toEqual([
      'version must be 1, got string "1"',
      'directus (the version) must be a string',
      'collections[0].collection must be a non-empty string',
      'collections[1] must be a mapping',
      'fields[0].field must be a non-empty string',
      'relations must be a list, got nothing',
    ]);
  });

  it.each([
    [null, 'the file holds nothing, not a mapping'],
    [[1], 'the file holds a list, not a mapping'],
    ['text', 'the file holds string "text", not a mapping'],
  ])('refuses a file holding %j', (parsed, problem) => {
    expect(checkSnapshotShape(parsed)).toEqual([problem]);
  });
});
