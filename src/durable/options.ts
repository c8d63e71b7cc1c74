import { constants } from 'node:fs';
import type { Mode, OpenMode } from 'node:fs';
import { invalidArgument, kindOf } from './errors.js';
import type { FsPath } from './fs-path.js';

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
   * kept, as `fs.writeFile` keeps it when overwriting in place. `false` (write-file-atomic,
   * atomically): a new file's default mode, 0o666 minus the umask, whatever the target had.
   */
  mode?: Mode | false | undefined;
  /**
   * Owner of the new file, as write-file-atomic and atomically take it: `{ uid, gid }` is set on
   * the temp file before the rename (a failure is a `DurableWriteError`, step `set-owner`, and the
   * target is untouched); `false` keeps the writer's own ids. Absent: as root, the target's owner.
   */
  chown?: { readonly uid: number; readonly gid: number } | false | undefined;
  /**
   * Called with the temp file's path once it exists (write-file-atomic's name), before any data is
   * written; the async writers await what it returns. A throw (or rejection) fails the write, and
   * the temp file is removed.
   */
  tmpfileCreated?: ((tempPath: FsPath) => unknown) | undefined;
  /** atomically's name for {@link DurableWriteOptionsObject.tmpfileCreated}. */
  tmpCreated?: ((tempPath: FsPath) => unknown) | undefined;
  /**
   * write-file-atomic's and atomically's switch. `true` is what the helper always does; `false` (an
   * unsynced write) is refused with a `TypeError`.
   */
  fsync?: boolean | undefined;
  /**
   * `'w'` (default) and `'w+'` replace the target. `'wx'`/`'xw'` (and `+` forms, or a number with
   * `O_EXCL`) fail with `EEXIST` if the target exists, atomically. Append and in-place flags
   * (`'a…'`, `'r…'`, `O_APPEND`, no `O_CREAT`) cannot be honoured by an atomic replace and throw
   * `ERR_INVALID_ARG_VALUE`.
   */
  flag?: OpenMode | undefined;
  /**
   * `fs`'s request for an fsync. `true` is what the helper always does; `false` (typed as `fs` types
   * it) is refused with a `TypeError`, since it asks for an unsynced write.
   */
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
  Omit<DurableWriteOptionsObject, 'signal' | 'directorySync'> | BufferEncoding | null | undefined;

export interface NormalizedWriteOptions {
  readonly encoding: BufferEncoding;
  /** Mode to create the temp file with; `undefined` means "copy the target's, else 0o666"; `false`, "0o666". */
  readonly mode: number | false | undefined;
  /** Owner to give the temp file; `undefined` means "the target's, as root"; `false`, "ours". */
  readonly chown: { readonly uid: number; readonly gid: number } | false | undefined;
  readonly tempCreated: ReadonlyArray<(tempPath: FsPath) => unknown>;
  /** Fail with EEXIST instead of replacing an existing target. */
  readonly exclusive: boolean;
  readonly signal: AbortSignal | undefined;
  readonly directorySync: boolean;
  readonly replaceSpecialFile: boolean;
}

/**
 * The string flags a durable replace takes, and what each asks for: `replace` the target, or create
 * it `exclusive`ly (fail if it exists); `'a'`, `'r+'` and the like are a TypeError. The plugin's
 * fixes read it so as never to move a write the helper would refuse, or read otherwise, into it.
 */
export const WRITE_FLAGS: ReadonlyMap<string, 'replace' | 'exclusive'> = new Map([
  ['w', 'replace'],
  ['w+', 'replace'],
  ['wx', 'exclusive'],
  ['xw', 'exclusive'],
  ['wx+', 'exclusive'],
  ['xw+', 'exclusive'],
]);

/**
 * What the peers (write-file-atomic, atomically, steno) and `fs` take that a durable write cannot
 * honour, and why; refused rather than dropped, so a caller never believes it was applied.
 */
const REFUSED_FALSE = {
  fsync: 'a durable write always fsyncs the file (that is its point); use fs.writeFile for an unsynced write',
  flush: 'a durable write always flushes the file; leave flush out or pass true',
};
const REFUSED_OPTIONS: Readonly<Record<string, string>> = {
  ...REFUSED_FALSE,
  fsyncWait: 'the fsync is always awaited: the write resolves only once its data is durable',
  tmpPurge: 'the temp file is always removed when a write fails, so a failure never leaves a partial file behind',
  tmpCreate: 'temp names are chosen by the helper, so that the temps of killed writers are recognised and swept',
  timeout:
    'failed steps are not retried for a time: a failure is reported at once (only a rename that Windows reports busy is retried, briefly)',
  schedule: 'writes to one path already run in call order; schedule them around the call instead',
};

/**
 * Refuses option names that are not in `known` (or known ones with a refused value, checked by the
 * caller): a misspelt or unsupported option would otherwise be silently dropped.
 */
export function checkOptionNames(options: object, known: ReadonlySet<string>, what: string): void {
  for (const name of Object.keys(options)) {
    if (known.has(name) || (options as Record<string, unknown>)[name] === undefined) continue;
    const why = REFUSED_OPTIONS[name] ?? `it is not an option of ${what} (known: ${[...known].join(', ')})`;
    throw invalidArgument('ERR_INVALID_ARG_VALUE', `${what}: option ${JSON.stringify(name)} is refused: ${why}`);
  }
}

/**
 * Every option name `writeFileDurable` and `writeFileDurableSync` take (some only with some values:
 * `fsync` and `flush` only `true`). The plugin's fixes read it to move a write's options into the
 * helper only when the helper honours them.
 */
export const WRITE_OPTION_NAMES: ReadonlySet<string> = new Set([
  'encoding',
  'mode',
  'flag',
  'flush',
  'signal',
  'directorySync',
  'replaceSpecialFile',
  'chown',
  'tmpfileCreated',
  'tmpCreated',
  'fsync',
]);

function refuseFalse(name: keyof typeof REFUSED_FALSE, value: unknown): void {
  if (value === undefined || value === true) return;
  throw invalidArgument(
    'ERR_INVALID_ARG_VALUE',
    `option ${name}: ${JSON.stringify(value)} is refused: ${REFUSED_FALSE[name]}`,
  );
}

function checkCallback(name: string, value: unknown): ((tempPath: FsPath) => unknown) | undefined {
  if (value === undefined || typeof value === 'function') return value as ((tempPath: FsPath) => unknown) | undefined;
  throw invalidArgument('ERR_INVALID_ARG_TYPE', `option ${name} must be a function, got ${kindOf(value)}`);
}

function checkOwner(chown: unknown): NormalizedWriteOptions['chown'] {
  if (chown === undefined || chown === false) return chown;
  const { uid, gid } = (typeof chown === 'object' && chown !== null ? chown : {}) as { uid?: unknown; gid?: unknown };
  if (Number.isInteger(uid) && Number.isInteger(gid) && (uid as number) >= 0 && (gid as number) >= 0)
    return { uid: uid as number, gid: gid as number };
  throw invalidArgument(
    'ERR_INVALID_ARG_VALUE',
    `option chown must be false or { uid, gid } with non-negative integer ids, got ${JSON.stringify(chown)}`,
  );
}

const DEFAULT_WRITE_OPTIONS: NormalizedWriteOptions = {
  encoding: 'utf8',
  mode: undefined,
  chown: undefined,
  tempCreated: [],
  exclusive: false,
  signal: undefined,
  directorySync: true,
  replaceSpecialFile: false,
};

/**
 * Reads the caller's options without modifying them (write-file-atomic mutates its argument).
 * `what` names the function in the TypeError an unknown option gets.
 */
export function normalizeWriteOptions(
  options: DurableWriteOptions,
  what = 'writeFileDurable',
  known = WRITE_OPTION_NAMES,
): NormalizedWriteOptions {
  if (options === undefined || options === null) return DEFAULT_WRITE_OPTIONS;
  if (typeof options === 'string') {
    return { ...DEFAULT_WRITE_OPTIONS, encoding: checkEncoding(options) };
  }
  if (typeof options !== 'object') {
    throw invalidArgument(
      'ERR_INVALID_ARG_TYPE',
      `options must be an encoding string or an object, got ${typeof options}`,
    );
  }
  checkOptionNames(options, known, what);
  refuseFalse('fsync', options.fsync);
  refuseFalse('flush', options.flush);
  const callbacks = [
    checkCallback('tmpfileCreated', options.tmpfileCreated),
    checkCallback('tmpCreated', options.tmpCreated),
  ];
  return {
    encoding: options.encoding == null ? 'utf8' : checkEncoding(options.encoding),
    mode: options.mode === undefined || options.mode === false ? options.mode : parseMode(options.mode),
    chown: checkOwner(options.chown),
    tempCreated: callbacks.filter((callback): callback is (tempPath: FsPath) => unknown => callback !== undefined),
    exclusive: isExclusiveFlag(options.flag),
    signal: options.signal ?? undefined,
    directorySync: options.directorySync ?? true,
    replaceSpecialFile: options.replaceSpecialFile ?? false,
  };
}

/** The per-file options of a group commit: the signal and the directory sync belong to the group. */
export const FILE_OPTION_NAMES: ReadonlySet<string> = new Set(
  [...WRITE_OPTION_NAMES].filter((name) => name !== 'signal' && name !== 'directorySync'),
);

function checkEncoding(encoding: string): BufferEncoding {
  if (!Buffer.isEncoding(encoding)) {
    throw invalidArgument('ERR_INVALID_ARG_VALUE', `unknown encoding: ${encoding}`);
  }
  return encoding;
}

function parseMode(mode: Mode): number {
  if (typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 && mode <= 0o7777) return mode;
  if (typeof mode === 'string' && /^[0-7]{1,4}$/.test(mode)) return Number.parseInt(mode, 8);
  throw invalidArgument(
    'ERR_INVALID_ARG_VALUE',
    `mode must be an integer or an octal string in 0..0o7777, got ${String(mode)}`,
  );
}

function isExclusiveFlag(flag: OpenMode | undefined): boolean {
  if (flag === undefined) return false;
  if (typeof flag === 'number') {
    // An atomic replace creates a new file by definition; flags that append or write in place
    // (no O_CREAT) describe a different operation that a rename cannot provide.
    if ((flag & constants.O_APPEND) !== 0 || (flag & constants.O_CREAT) === 0) throw unsupportedFlag(flag);
    return (flag & constants.O_EXCL) !== 0;
  }
  const kind = WRITE_FLAGS.get(flag);
  if (kind === undefined) throw unsupportedFlag(flag);
  return kind === 'exclusive';
}

function unsupportedFlag(flag: OpenMode): TypeError {
  return invalidArgument(
    'ERR_INVALID_ARG_VALUE',
    `flag ${JSON.stringify(flag)} is not supported by a durable replace: use 'w' (replace) or 'wx' (create, fail if it exists); ` +
      'append or in-place writes cannot be made atomic by a rename',
  );
}
