import type { AdminSession } from './admin-session.ts';

/** A collection as an app user would model it: nine typed fields, an optional m2o parent. */
function generatedCollection(name: string, withParent: boolean) {
  const field = (key: string, type: string, meta: object, schema: object = {}) => ({
    field: key,
    type,
    meta,
    schema,
  });
  const choices = ['draft', 'active', 'archived'].map((value) => ({ text: value, value }));
  const status = { interface: 'select-dropdown', display: 'labels', options: { choices } };
  const decimal = { numeric_precision: 10, numeric_scale: 2 };
  const flag = { interface: 'boolean', special: ['cast-boolean'] };
  const created = { interface: 'datetime', readonly: true, special: ['date-created'] };

  return {
    collection: name,
    meta: { icon: 'inventory_2', note: 'Generated for a benchmark', display_template: '{{name}}' },
    schema: {},
    fields: [
      field(
        'id',
        'integer',
        { hidden: true, interface: 'input', readonly: true },
        { is_primary_key: true, has_auto_increment: true },
      ),
      field('name', 'string', { interface: 'input', required: true }, { is_nullable: false }),
      field('code', 'string', { interface: 'input' }, { max_length: 32, is_unique: true }),
      field('status', 'string', status, { default_value: 'draft' }),
      field('description', 'text', { interface: 'input-multiline' }),
      field('quantity', 'integer', { interface: 'input' }, { default_value: 0 }),
      field('price', 'decimal', { interface: 'input' }, decimal),
      field('active', 'boolean', flag, { default_value: true }),
      field('date_created', 'timestamp', created),
      ...(withParent
        ? [field('parent', 'integer', { interface: 'select-dropdown-m2o', special: ['m2o'] })]
        : []),
    ],
  };
}

/**
 * Adds `count` collections through the REST API, every other one with an m2o relation to an
 * earlier one (a tree), as an app user would build them. Returns how many relations it made.
 */
export async function addGeneratedCollections(
  session: AdminSession,
  count: number,
): Promise<{ relations: number }> {
  const name = (index: number) => `generated_${String(index).padStart(2, '0')}`;
  let relations = 0;

  for (let index = 1; index <= count; index++) {
    const parent = index > 1 && index % 2 === 0 ? name(index / 2) : undefined;
    await session.requestOk(
      'POST',
      '/collections',
      generatedCollection(name(index), parent !== undefined),
    );
    if (parent === undefined) continue;

    await session.requestOk('POST', '/relations', {
      collection: name(index),
      field: 'parent',
      related_collection: parent,
      meta: { one_deselect_action: 'nullify' },
      schema: { on_delete: 'SET NULL' },
    });
    relations++;
  }

  return { relations };
}
