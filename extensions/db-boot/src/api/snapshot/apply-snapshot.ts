import type { Knex } from 'knex';
import { BootError } from '../common/boot-error';
import { destructiveChanges, destructiveRefusal } from './destructive-changes';
import { planLines } from './plan-text';
import type { SnapshotFile } from './check-shape';
import { readSnapshot } from './read-snapshot';
import type { SchemaDiff } from './schema-diff';

/** The part of Directus's `SchemaService` this step uses (`context.services.SchemaService`). */
export interface SchemaServiceLike {
  snapshot(): Promise<{ systemFields?: unknown[] }>;
  diff(
    snapshot: object,
    options: { currentSnapshot: object; force: boolean },
  ): Promise<SchemaDiff | null>;
  apply(payload: { hash: string; diff: SchemaDiff }): Promise<void>;
  getHashedSnapshot(snapshot: object): { hash: string };
}

export type SchemaServiceClass = new (options: {
  knex: Knex;
  accountability: object;
}) => SchemaServiceLike;

/** Directus's services check `admin`; the boot acts as the instance itself, not as a user. */
export const BOOT_ACCOUNTABILITY = { admin: true, role: null, user: null, roles: [], app: false };

export interface SnapshotOutcome {
  /** One line per change (see `planLines`); empty when the schema already matches. */
  changes: string[];
  applied: boolean;
  /** The file's sha256: the version of it the schema now matches, unless plan only. */
  fileHash: string;
}

export interface ApplySnapshotOptions {
  knex: Knex;
  SchemaService: SchemaServiceClass;
  path: string;
  allowDestructive: boolean;
  force: boolean;
  planOnly: boolean;
  logger: { info(message: string): void; warn(message: string): void };
}

/**
 * Brings the live schema to the snapshot file through Directus's own SchemaService: diff,
 * log the plan, refuse destructive changes unless allowed, apply. Must run under the boot
 * lock. Directus applies the whole diff in one transaction and flushes its caches after.
 */
export async function applySnapshot(options: ApplySnapshotOptions): Promise<SnapshotOutcome> {
  const { path, logger } = options;
  const { snapshot, hash: fileHash } = await readSnapshot(path);
  const service = new options.SchemaService({
    knex: options.knex,
    accountability: BOOT_ACCOUNTABILITY,
  });
  const current = await service.snapshot();
  const diff = await diffSnapshot(service, snapshot, current, options);

  if (diff === null) return { changes: [], applied: false, fileHash };

  const changes = planLines(diff);
  const prefix = options.planOnly ? 'schema: (plan only) ' : 'schema: ';
  for (const change of changes) logger.info(`${prefix}${change}`);

  const drops = destructiveChanges(diff);
  if (options.planOnly) {
    if (drops.length > 0 && !options.allowDestructive) {
      logger.warn(`schema: (plan only) a real boot would refuse: ${drops.join(', ')}`);
    }

    return { changes, applied: false, fileHash };
  }

  if (drops.length > 0 && !options.allowDestructive) {
    throw new BootError('schema', destructiveRefusal(path, drops), { file: path });
  }

  await service
    .apply({ hash: service.getHashedSnapshot(current).hash, diff })
    .catch((error: Error) => {
      throw new BootError(
        'schema',
        `${path}: applying failed, nothing was changed: ${error.message}`,
        {
          file: path,
          cause: error,
        },
      );
    });

  return { changes, applied: true, fileHash };
}

/**
 * Directus's diff from the live schema (`current`) to the file's, as the boot and the status
 * read it. A refusal (another Directus version, another database vendor) names the file and
 * our setting instead of Directus's API query parameter.
 */
export async function diffSnapshot(
  service: SchemaServiceLike,
  snapshot: SnapshotFile,
  current: { systemFields?: unknown[] },
  options: { path: string; force: boolean },
): Promise<SchemaDiff | null> {
  const declared = withSystemFields(snapshot, current.systemFields);

  return service
    .diff(declared, { currentSnapshot: current, force: options.force })
    .catch((error: Error) => {
      const bypass = /\s*You can bypass this check by passing the "force" query parameter\.?/;
      const reason = error.message.replace(bypass, '');
      const hint = /force/i.test(error.message)
        ? ' (re-export it with this Directus, or set BOOT_SNAPSHOT_FORCE=true)'
        : '';
      throw new BootError(
        'schema',
        `${options.path}: Directus refused the snapshot: ${reason}${hint}`,
        {
          file: options.path,
          cause: error,
        },
      );
    });
}

/**
 * A snapshot without `systemFields` (every file written before Directus 11) says nothing about
 * the indexes of Directus's own tables, but Directus diffs a missing list as "no system field
 * is indexed" and drops them. Such a file keeps the instance's own.
 */
export function withSystemFields(
  snapshot: SnapshotFile,
  current: unknown[] | undefined,
): SnapshotFile {
  if (snapshot.systemFields !== undefined || current === undefined) return snapshot;

  return { ...snapshot, systemFields: current as SnapshotFile['systemFields'] };
}
