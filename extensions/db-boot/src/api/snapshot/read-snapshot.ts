import { load, YAMLException } from 'js-yaml';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { BootError } from '../common/boot-error';
import { checkSnapshotShape, type SnapshotFile } from './check-shape';

export interface ReadSnapshot {
  snapshot: SnapshotFile;
  /** sha256 of the file's text, to tell which version of the file a database was brought to. */
  hash: string;
}

/**
 * Reads a snapshot as `directus schema snapshot` writes it: YAML, or JSON for a `.json` file.
 * Every refusal names the file, and for a syntax error the line and column.
 */
export async function readSnapshot(path: string): Promise<ReadSnapshot> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new BootError('schema', `${path}: cannot read the snapshot: ${error.message}`, {
      file: path,
      cause: error,
    });
  });

  const parsed =
    extname(path).toLowerCase() === '.json' ? parseJson(path, text) : parseYaml(path, text);
  const problems = checkSnapshotShape(parsed);

  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join('; ');
    const more = problems.length > 10 ? `; and ${problems.length - 10} more` : '';
    throw new BootError('schema', `${path}: not a Directus schema snapshot: ${shown}${more}`, {
      file: path,
    });
  }

  return {
    snapshot: parsed as SnapshotFile,
    hash: createHash('sha256').update(text).digest('hex'),
  };
}

function parseYaml(path: string, text: string): unknown {
  try {
    return load(text, { filename: path });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;

    const where = `line ${error.mark.line + 1}, column ${error.mark.column + 1}`;
    throw new BootError('schema', `${path}: invalid YAML at ${where}: ${error.reason}`, {
      file: path,
      cause: error,
    });
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BootError('schema', `${path}: invalid JSON: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  }
}
