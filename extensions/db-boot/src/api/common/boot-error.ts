/** The steps of a boot, as they appear at the start of every log line they write. */
export type BootStep = 'config' | 'lock' | 'db-init' | 'schema';

/**
 * The one error a boot step throws: which step failed, on which file, and why. The original
 * error stays available as `cause` for the log's detail.
 */
export class BootError extends Error {
  readonly step: BootStep;
  readonly file: string | undefined;

  constructor(step: BootStep, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'BootError';
    this.step = step;
    this.file = options.file;
  }
}

/** Runs one step so that whatever it throws leaves it as a BootError naming that step. */
export async function inStep<T>(step: BootStep, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BootError) throw error;

    const message = error instanceof Error ? error.message : String(error);
    throw new BootError(step, message, { cause: error });
  }
}
