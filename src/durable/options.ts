import { constants } from 'node:fs';
import type { Mode, OpenMode } from 'node:fs';
import { invalidArgument } from './errors.js';

/**
 * The object form of the write options: every field `fs.writeFile`, `fs.promises.writeFile` and
 * `fs.writeFileSync` accept, plus `directorySync`.
 */
export interface DurableWriteOptionsObject {
  /** Encoding of string data (and of string chunks). `null` or absent means `'utf8'`, as in `fs`. */
  encoding?: BufferEncoding | null | undefined;
  /**
   * Mode of the new file (octal string or number, umask applies, as with `fs.writeFile` creating
   * a file). When absent and the target exists, the target's mode (and, as root, its owner) is
   * kept, as `fs.writeFile` keeps it when overwriting in place.
   */
  mode?: Mode | undefined;
  /**
   * `'w'` (default) and `'w+'` replace the target. `'wx'`/`'xw'` (and `+` forms, or a number with
   * `O_EXCL`) fail with `EEXIST` if the target exists, atomically. Append and in-place flags
   * (`'a…'`, `'r…'`, `O_APPEND`, no `O_CREAT`) cannot be honoured by an atomic replace and throw
   * `ERR_INVALID_ARG_VALUE`.
   */
  flag?: OpenMode | undefined;
  /** Accepted for compatibility and redundant: the data is always flushed. */
  flush?: boolean | undefined;
  /**
   * Aborts the write if it fires before the rename: the target is left untouched and the temp
   * file removed. Ignored by the sync functions, as `fs.writeFileSync` ignores it.
   */
  signal?: AbortSignal | undefined;
  /**
   * fsync the parent directory after the rename, which is what makes the rename itself survive a
   * power loss (default `true`). Skipped on Windows, where directories cannot be opened.
   */
  directorySync?: boolean | undefined;
  /**
   * Replace a FIFO, socket or device at the target (or where its symlink leads) with a regular
   * file. Off by default: such a target is refused with a `DurableWriteError` (code
   * `NOT_REGULAR_FILE`) before anything is created, because `fs.writeFile` would have written
   * into it (`~/.history -> /dev/null` discards the history) and a rename would destroy it.
   */
  replaceSpecialFile?: boolean | undefined;
}

/**
 * Options of {@link writeFileDurable} and {@link writeFileDurableSync}: an encoding name, `null`,
 * `undefined`, or a {@link DurableWriteOptionsObject}. Every value of `fs.WriteFileOptions` and of
 * `fs.promises.writeFile`'s options is assignable to it.
 */
export type DurableWriteOptions = DurableWriteOptionsObject | BufferEncoding | null | undefined;

/** Per-file options inside a group commit; signal and directory sync belong to the group. */
export type DurableFileOptions =
  | Omit<DurableWriteOptionsObject, 'signal' | 'directorySync'>
  | BufferEncoding
  | null
  | undefined;

export interface NormalizedWriteOptions {
  readonly encoding: BufferEncoding;
  /** Mode to create the temp file with; `undefined` means "copy the target's, else 0o666". */
  readonly mode: number | undefined;
  /** Fail with EEXIST instead of replacing an existing target. */
  readonly exclusive: boolean;
  readonly signal: AbortSignal | undefined;
  readonly directorySync: boolean;
  readonly replaceSpecialFile: boolean;
}

const REPLACE_FLAGS = new Set(['w', 'w+']);
const EXCLUSIVE_FLAGS = new Set(['wx', 'xw', 'wx+', 'xw+']);

/** Reads the caller's options without modifying them (write-file-atomic mutates its argument). */
export function normalizeWriteOptions(options: DurableWriteOptions): NormalizedWriteOptions {
  if (options === undefined || options === null) {
    return { encoding: 'utf8', mode: undefined, exclusive: false, signal: undefined, directorySync: true, replaceSpecialFile: false };
  }
  if (typeof options === 'string') {
    return { ...normalizeWriteOptions(undefined), encoding: checkEncoding(options) };
  }
  if (typeof options !== 'object') {
    throw invalidArgument('ERR_INVALID_ARG_TYPE', `options must be an encoding string or an object, got ${typeof options}`);
  }
  return {
    encoding: options.encoding == null ? 'utf8' : checkEncoding(options.encoding),
    mode: options.mode === undefined ? undefined : parseMode(options.mode),
    exclusive: isExclusiveFlag(options.flag),
    signal: options.signal ?? undefined,
    directorySync: options.directorySync ?? true,
    replaceSpecialFile: options.replaceSpecialFile ?? false,
  };
}

function checkEncoding(encoding: string): BufferEncoding {
  if (!Buffer.isEncoding(encoding)) {
    throw invalidArgument('ERR_INVALID_ARG_VALUE', `unknown encoding: ${encoding}`);
  }
  return encoding;
}

function parseMode(mode: Mode): number {
  if (typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 && mode <= 0o7777) return mode;
  if (typeof mode === 'string' && /^[0-7]{1,4}$/.test(mode)) return Number.parseInt(mode, 8);
  throw invalidArgument('ERR_INVALID_ARG_VALUE', `mode must be an integer or an octal string in 0..0o7777, got ${String(mode)}`);
}

function isExclusiveFlag(flag: OpenMode | undefined): boolean {
  if (flag === undefined) return false;
  if (typeof flag === 'number') {
    // An atomic replace creates a new file by definition; flags that append or write in place
    // (no O_CREAT) describe a different operation that a rename cannot provide.
    if ((flag & constants.O_APPEND) !== 0 || (flag & constants.O_CREAT) === 0) throw unsupportedFlag(flag);
    return (flag & constants.O_EXCL) !== 0;
  }
  if (REPLACE_FLAGS.has(flag)) return false;
  if (EXCLUSIVE_FLAGS.has(flag)) return true;
  throw unsupportedFlag(flag);
}

function unsupportedFlag(flag: OpenMode): TypeError {
  return invalidArgument(
    'ERR_INVALID_ARG_VALUE',
    `flag ${JSON.stringify(flag)} is not supported by a durable replace: use 'w' (replace) or 'wx' (create, fail if it exists); ` +
      'append or in-place writes cannot be made atomic by a rename',
  );
}
