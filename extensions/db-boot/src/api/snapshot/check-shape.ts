/**
 * The parts of a snapshot this extension relies on. Directus validates the rest when it diffs
 * (its Joi schema stops at the first problem; this check lists them all, with their paths).
 */
export interface SnapshotFile {
  version: 1;
  directus: string;
  vendor?: string;
  collections: { collection: string; meta: unknown; schema: unknown }[];
  fields: {
    collection: string;
    field: string;
    type: string | null;
    meta: unknown;
    schema: unknown;
  }[];
  relations: { collection: string; field: string; related_collection: string | null }[];
  systemFields?: { collection: string; field: string }[];
}

type Check = (item: Record<string, unknown>) => string | undefined;

const isText =
  (key: string): Check =>
  (item) =>
    typeof item[key] === 'string' && item[key] !== ''
      ? undefined
      : `${key} must be a non-empty string`;

const LISTS: Record<string, Check[]> = {
  collections: [isText('collection')],
  fields: [isText('collection'), isText('field')],
  relations: [isText('collection'), isText('field')],
  systemFields: [isText('collection'), isText('field')],
};

/** Lists what is wrong with a parsed snapshot file; empty when nothing is. */
export function checkSnapshotShape(parsed: unknown): string[] {
  if (!isObject(parsed)) return [`the file holds ${describe(parsed)}, not a mapping`];

  const problems: string[] = [];
  if (parsed['version'] !== 1)
    problems.push(`version must be 1, got ${describe(parsed['version'])}`);
  if (typeof parsed['directus'] !== 'string')
    problems.push('directus (the version) must be a string');

  for (const [list, checks] of Object.entries(LISTS)) {
    const items = parsed[list];
    if (items === undefined && list === 'systemFields') continue;

    if (!Array.isArray(items)) {
      problems.push(`${list} must be a list, got ${describe(items)}`);
      continue;
    }

    items.forEach((item, index) => {
      if (!isObject(item)) return problems.push(`${list}[${index}] must be a mapping`);
      for (const check of checks) {
        const problem = check(item);
        if (problem) problems.push(`${list}[${index}].${problem}`);
      }
    });
  }

  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';

  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
