import type { SpecialFileType } from './file-type.js';

/** The step of a durable write that failed; named after what the step does, in the order the steps run. */
export type DurableWriteStep =
  | 'resolve-target'
  | 'open-temp'
  | 'open-directory'
  | 'write'
  | 'set-owner'
  | 'set-mode'
  | 'fsync'
  | 'close'
  | 'rename'
  | 'link'
  | 'fsync-directory'
  // sweepStaleTemps, which writes nothing: `path` is the directory, or the temp file it could not remove.
  | 'sweep-list'
  | 'sweep-remove';

const SWEEP_STEPS: ReadonlySet<DurableWriteStep> = new Set(['sweep-list', 'sweep-remove']);

const STEP_DESCRIPTIONS: Record<DurableWriteStep, string> = {
  'resolve-target': 'could not inspect the target',
  'open-temp': 'could not create the temp file',
  'open-directory': 'could not open the directory for fsync',
  write: 'could not write the temp file',
  'set-owner': "could not give the temp file the target's owner",
  'set-mode': "could not give the temp file the target's mode",
  fsync: 'could not fsync the temp file',
  close: 'could not close the temp file',
  rename: 'could not rename the temp file over the target',
  link: 'could not link the temp file to the target',
  'fsync-directory': 'could not fsync the directory',
  'sweep-list': 'could not list the directory to sweep stale temp files',
  'sweep-remove': 'could not remove the stale temp file',
};

interface SystemErrorLike {
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  message?: unknown;
  fileType?: unknown;
}

/**
 * A durable write failed before its data was committed: the target still holds its previous
 * contents (or is still absent) and the temp file has been removed.
 *
 * `code`, `errno` and `syscall` are copied from the underlying system error, so code that
 * checked `err.code === 'ENOSPC'` after `fs.writeFile` keeps working.
 */
export class DurableWriteError extends Error {
  override name = 'DurableWriteError';
  /** The errno name of the underlying error (`'ENOSPC'`, `'EACCES'`, …), if it had one. */
  readonly code: string | undefined;
  /** The (negative, libuv-style) errno number of the underlying error, if it had one. */
  readonly errno: number | undefined;
  /** The system call that failed, if known. */
  readonly syscall: string | undefined;
  /** The target path the write was for. */
  readonly path: string;
  /** Which step of the write failed. */
  readonly step: DurableWriteStep;
  /** `true` when the new contents had already replaced the target when the error happened. */
  readonly committed: boolean;
  /**
   * For {@link writeFilesDurable}: the targets already renamed into place when a later rename
   * failed (their directories were fsynced before this error was thrown). Empty otherwise.
   */
  committedPaths: readonly string[] = [];
  /** For a refused target (`NOT_REGULAR_FILE`, or `EISDIR`): what is there instead of a regular file. */
  readonly fileType: SpecialFileType | undefined;

  constructor(step: DurableWriteStep, target: string | Buffer, cause: unknown, committed = false) {
    // A name given as bytes shows as UTF-8 here (U+FFFD where it is not); the bytes were used for the calls.
    const path = typeof target === 'string' ? target : target.toString();
    const system = (typeof cause === 'object' && cause !== null ? cause : {}) as SystemErrorLike;
    const reason = typeof system.message === 'string' ? system.message : String(cause);
    const summary = committed
      ? `'${path}' was committed (renamed into place), durability unknown: ${STEP_DESCRIPTIONS[step]}`
      : SWEEP_STEPS.has(step)
        ? `${STEP_DESCRIPTIONS[step]} '${path}'`
        : `${STEP_DESCRIPTIONS[step]} for '${path}'; the target is unchanged`;
    super(`${summary}: ${reason}`, { cause });
    this.code = typeof system.code === 'string' ? system.code : undefined;
    this.errno = typeof system.errno === 'number' ? system.errno : undefined;
    this.syscall = typeof system.syscall === 'string' ? system.syscall : undefined;
    this.path = path;
    this.step = step;
    this.committed = committed;
    this.fileType = typeof system.fileType === 'string' ? (system.fileType as SpecialFileType) : undefined;
  }
}

/**
 * The new contents replaced the target, but making that replacement durable failed (the
 * directory fsync). Readers see the new contents now; after a power loss the target may still
 * hold the old ones. Retrying the write is safe.
 */
export class DurabilityUnknownError extends DurableWriteError {
  override name = 'DurabilityUnknownError';

  constructor(step: DurableWriteStep, path: string | Buffer, cause: unknown) {
    super(step, path, cause, true);
  }
}

/** Errors that come from the operating system rather than from the caller's code. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  if (typeof error !== 'object' || error === null) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  return typeof syscall === 'string' || (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code));
}

/** A system error tagged with the step it happened in; anything else (a caller's bug) as it is. */
export function stepError(step: DurableWriteStep, path: string | Buffer, error: unknown): unknown {
  return isSystemError(error) ? new DurableWriteError(step, path, error) : error;
}

/** Tags a failure of a step that runs on this thread (the writers' fs calls: steps.ts, `tagged`). */
export function taggedSync<T>(step: DurableWriteStep, path: string | Buffer, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw stepError(step, path, error);
  }
}

/** The same shape as the `AbortError` that `fs.promises.writeFile` rejects with. */
export function createAbortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return Object.assign(error, { code: 'ABORT_ERR' });
}

/** What an argument error says a wrong value was: `null` or its `typeof`. */
export function kindOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw createAbortError(signal);
}

/** A Node-style TypeError with a `code`, for arguments that can never work. */
export function invalidArgument(code: 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE', message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}
