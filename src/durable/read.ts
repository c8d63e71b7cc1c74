import type { PathLike } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { invalidArgument, throwIfAborted } from './errors.js';
import { describeFileType } from './file-type.js';
import type { SpecialFileType } from './file-type.js';
import { readBoundedFile, readBoundedFileSync } from './read-bytes.js';
import type { BoundedRead } from './read-bytes.js';
import { pathText, toFsPath } from './fs-path.js';
import type { FsPath } from './fs-path.js';
import { checkOptionNames } from './options.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** Why a load failed; see {@link LoadError}. */
export type LoadErrorCode =
  'MISSING' | 'NOT_REGULAR_FILE' | 'TOO_LARGE' | 'EMPTY' | 'ZEROED' | 'UNDECODABLE' | 'UNPARSABLE' | 'INVALID' | 'IO';

/**
 * The default `maxBytes` of the loaders: 64 MiB. V8 (Node 20) cannot hold a string longer than
 * 536,870,888 UTF-16 units, and `JSON.parse` aborts the whole process (exit 133, no `try` helps)
 * on an array of more than 134,217,725 elements, which a 256 MiB file of `0,0,…` holds. 64 MiB is
 * 8 and 4 times below those; measurements in docs/durable.md.
 */
export const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * Why {@link readFileValidated} could not produce a value. `code` says what was found on disk:
 * - `MISSING`: no file at the path (`ENOENT`);
 * - `NOT_REGULAR_FILE`: a directory, FIFO, device or socket is there (`fileType` says which); never read;
 * - `TOO_LARGE`: the file has more than `maxBytes` bytes; not read (or not past the limit);
 * - `EMPTY`: the file has 0 bytes (a create or truncate whose data never reached the disk);
 * - `ZEROED`: the file holds only NUL bytes (its size reached the disk, its data did not);
 * - `UNDECODABLE`: the bytes are not valid in the encoding (invalid UTF-8: a torn or foreign file);
 * - `UNPARSABLE`: `parse` threw (truncated or torn files end up here);
 * - `INVALID`: the validator refused the parsed value (`issues` says why);
 * - `IO`: any other system error (`errno`, `syscall` and `systemCode` keep it).
 */
export class LoadError extends Error {
  override name = 'LoadError';
  readonly code: LoadErrorCode;
  /** Absolute path of the file that was read. */
  readonly path: string;
  /** For `IO` (and `MISSING`): the system error's errno name, e.g. `'EISDIR'`. */
  readonly systemCode: string | undefined;
  /** For `IO` (and `MISSING`): the system error's (negative, libuv-style) errno number. */
  readonly errno: number | undefined;
  /** For `IO` (and `MISSING`): the system call that failed. */
  readonly syscall: string | undefined;
  /** For `INVALID`: the validator's issues, as Standard Schema issues. */
  readonly issues: readonly StandardSchemaV1.Issue[];
  /** For `NOT_REGULAR_FILE`: what is at the path instead. */
  readonly fileType: SpecialFileType | undefined;
  /** For `TOO_LARGE`: the file's size, when known before reading (fstat). */
  readonly size: number | undefined;

  constructor(
    code: LoadErrorCode,
    path: string,
    detail: string,
    extra: {
      cause?: unknown;
      issues?: readonly StandardSchemaV1.Issue[];
      fileType?: SpecialFileType;
      size?: number | undefined;
    } = {},
  ) {
    // One line, whatever the parser or validator put in its messages.
    super(`${code}: ${detail.replace(/\s*\n\s*/g, ' ')}`, { cause: extra.cause });
    const system = (extra.cause ?? {}) as NodeJS.ErrnoException;
    this.code = code;
    this.path = path;
    this.systemCode = code === 'IO' || code === 'MISSING' ? system.code : undefined;
    this.errno = code === 'IO' || code === 'MISSING' ? system.errno : undefined;
    this.syscall = code === 'IO' || code === 'MISSING' ? system.syscall : undefined;
    this.issues = extra.issues ?? [];
    this.fileType = extra.fileType;
    this.size = extra.size;
  }
}

/** The outcome of a validated load: a value, or a {@link LoadError}; never a thrown disk error. */
export type LoadResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: LoadError };

/** A Standard Schema v1 (zod, valibot, arktype, …) or a predicate (a type guard narrows `T`). */
export type Validator<T> =
  StandardSchemaV1<unknown, T> | ((value: unknown) => value is T) | ((value: unknown) => boolean);

/** Options of {@link readFileValidated}. */
export interface ReadValidatedOptions<T = unknown> {
  /** Decode the bytes to a string with this encoding (default `'utf8'` when `parse` is given). */
  encoding?: BufferEncoding | null | undefined;
  /** Turns the decoded text into a value, e.g. `JSON.parse`; a throw becomes `UNPARSABLE`. */
  parse?: ((text: string) => unknown) | undefined;
  /** Checks the (parsed) value; a refusal becomes `INVALID`. */
  validate?: Validator<T> | undefined;
  /** Aborts the read (rejects with an `AbortError`; not a load failure). */
  signal?: AbortSignal | undefined;
  /**
   * Larger files are not read and give `TOO_LARGE` (default {@link DEFAULT_MAX_READ_BYTES}, 64 MiB).
   * Raising it past 256 MiB lets a JSON file abort the process; see docs/durable.md.
   */
  maxBytes?: number | undefined;
  /** Load a 0-byte file as content (an empty Buffer or string) instead of failing with `EMPTY`. */
  allowEmpty?: boolean | undefined;
  /** Load a file of only NUL bytes as content instead of failing with `ZEROED`. */
  allowZeroed?: boolean | undefined;
}

/** Options of {@link readJsonValidated}: what is not about decoding or parsing. */
export type ReadJsonOptions = Pick<ReadValidatedOptions, 'signal' | 'maxBytes'>;

const READ_OPTION_NAMES: ReadonlySet<string> = new Set([
  'encoding',
  'parse',
  'validate',
  'signal',
  'maxBytes',
  'allowEmpty',
  'allowZeroed',
]);
const READ_JSON_OPTION_NAMES: ReadonlySet<string> = new Set(['signal', 'maxBytes']);

/** The file's path for the system calls (bytes stay bytes) and as text for the results. */
function loaderPaths(
  file: PathLike,
  options: object,
  known: ReadonlySet<string>,
  what: string,
): { target: FsPath; path: string } {
  const target = toFsPath(file);
  checkOptionNames(options, known, what);
  return { target, path: pathText(target) };
}

function checkMaxBytes(maxBytes: number | undefined): number {
  if (maxBytes === undefined) return DEFAULT_MAX_READ_BYTES;
  // One byte more than the limit is read to notice growth, and must fit in a Buffer.
  if (Number.isSafeInteger(maxBytes) && maxBytes >= 0 && maxBytes < bufferConstants.MAX_LENGTH) return maxBytes;
  throw invalidArgument(
    'ERR_INVALID_ARG_VALUE',
    `maxBytes must be an integer in 0..${bufferConstants.MAX_LENGTH - 1}, got ${String(maxBytes)}`,
  );
}

function fromBoundedRead(path: string, read: BoundedRead, maxBytes: number): LoadResult<Buffer> {
  switch (read.kind) {
    case 'bytes':
      return { ok: true, value: read.bytes };
    case 'special':
      return failure(
        'NOT_REGULAR_FILE',
        path,
        `'${path}' is ${describeFileType(read.type)}, not a regular file; it was not read`,
        {
          fileType: read.type,
        },
      );
    case 'too-large':
      return failure(
        'TOO_LARGE',
        path,
        `'${path}' is larger than maxBytes (${maxBytes} bytes)${read.size === undefined ? '' : `: ${read.size} bytes`}; it was not read`,
        { size: read.size },
      );
  }
}

function classifyReadError(path: string, error: unknown): LoadResult<never> {
  const system = error as NodeJS.ErrnoException;
  if (system.code === 'ENOENT') return failure('MISSING', path, `no such file '${path}'`, { cause: error });
  return failure('IO', path, `${system.message ?? String(error)}`, { cause: error });
}

function failure(...args: ConstructorParameters<typeof LoadError>): { ok: false; error: LoadError } {
  return { ok: false, error: new LoadError(...args) };
}

const ZEROS = Buffer.alloc(64 * 1024);

/** Compared a block at a time (memcmp): a byte loop took seconds on a 64 MiB file. */
function isAllZero(bytes: Buffer): boolean {
  for (let offset = 0; offset < bytes.byteLength; offset += ZEROS.byteLength) {
    const block = bytes.subarray(offset, offset + ZEROS.byteLength);
    if (!block.equals(ZEROS.subarray(0, block.byteLength))) return false;
  }
  return true;
}

function isStandardSchema(validator: unknown): validator is StandardSchemaV1 {
  // Checked before "is it a function": arktype schemas are callable and carry '~standard' too.
  return (
    (typeof validator === 'object' || typeof validator === 'function') && validator !== null && '~standard' in validator
  );
}

function describeIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  const [first] = issues;
  if (!first) return 'the schema refused the value';
  const where = (first.path ?? [])
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  return `${where ? `${where}: ` : ''}${first.message}${more}`;
}

/** Everything up to validation, which is the only step that may need to await. */
function decode<T>(path: string, bytes: Buffer, options: ReadValidatedOptions<T>): LoadResult<unknown> {
  if (bytes.byteLength === 0 && !options.allowEmpty) return failure('EMPTY', path, `'${path}' is empty (0 bytes)`);
  if (bytes.byteLength > 0 && !options.allowZeroed && isAllZero(bytes)) {
    return failure(
      'ZEROED',
      path,
      `'${path}' holds only NUL bytes (${bytes.byteLength}), the trace of a write lost in a power cut`,
    );
  }
  const encoding = options.encoding ?? (options.parse ? 'utf8' : undefined);
  if (encoding === undefined) return { ok: true, value: bytes };
  const decoded = decodeText(path, bytes, encoding);
  if (!decoded.ok) return decoded;
  let text = decoded.value;
  if (!options.parse) return { ok: true, value: text };
  // A leading BOM is not content (editors on Windows add one), and JSON.parse rejects it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: options.parse(text) };
  } catch (error) {
    return failure(
      'UNPARSABLE',
      path,
      `'${path}' could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

const UTF8 = new Set(['utf8', 'utf-8']);

// One pass that validates and decodes (buffer.isUtf8 arrived only in Node.js 18.14); ignoreBOM keeps
// a byte order mark in the text, as toString does.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF16 = new Set(['utf16le', 'utf-16le', 'ucs2', 'ucs-2']);

/**
 * Decodes without replacing anything: `toString` would turn invalid UTF-8 (a torn write cut inside a
 * multi-byte character, a file in another encoding) into U+FFFD and load it as if it were intact.
 */
function decodeText(path: string, bytes: Buffer, encoding: BufferEncoding): LoadResult<string> {
  const name = encoding.toLowerCase();
  if (UTF16.has(name) && bytes.byteLength % 2 !== 0) {
    return failure('UNDECODABLE', path, `'${path}' is not valid UTF-16: odd number of bytes (${bytes.byteLength})`);
  }
  try {
    return { ok: true, value: UTF8.has(name) ? strictUtf8.decode(bytes) : bytes.toString(encoding) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA')
      return failure('UNDECODABLE', path, `'${path}' is not valid UTF-8 (${bytes.byteLength} bytes)`);
    // ERR_STRING_TOO_LONG: a maxBytes raised past V8's string limit (or a 'hex' decoding doubling it).
    return failure('TOO_LARGE', path, `'${path}' does not fit in a string (${bytes.byteLength} bytes as ${encoding})`, {
      cause: error,
      size: bytes.byteLength,
    });
  }
}

function fromSchemaResult<T>(path: string, result: StandardSchemaV1.Result<T>): LoadResult<T> {
  if (result.issues) {
    return failure('INVALID', path, `'${path}' is invalid: ${describeIssues(result.issues)}`, {
      issues: result.issues,
    });
  }
  return { ok: true, value: result.value };
}

function invalidFromThrow(path: string, error: unknown): LoadResult<never> {
  const message = error instanceof Error ? error.message : String(error);
  return failure('INVALID', path, `'${path}' is invalid: the validator threw: ${message}`, {
    cause: error,
    issues: [{ message }],
  });
}

function validate<T>(
  path: string,
  value: unknown,
  validator: Validator<T> | undefined,
): LoadResult<T> | Promise<LoadResult<T>> {
  if (validator === undefined) return { ok: true, value: value as T };
  try {
    if (isStandardSchema(validator)) {
      const result = (validator as StandardSchemaV1<unknown, T>)['~standard'].validate(value);
      if (result instanceof Promise) {
        return result.then(
          (settled) => fromSchemaResult(path, settled),
          (error: unknown) => invalidFromThrow(path, error),
        );
      }
      return fromSchemaResult(path, result);
    }
    if (validator(value)) return { ok: true, value: value as T };
    return failure('INVALID', path, `'${path}' is invalid: the validate predicate returned false`, {
      issues: [{ message: 'the validate predicate returned false' }],
    });
  } catch (error) {
    return invalidFromThrow(path, error);
  }
}

/**
 * Reads, decodes, parses and validates a file, and says precisely what was wrong if that failed.
 * Never rejects because of the file or the disk: every such problem is a {@link LoadError} in the
 * result. It rejects only for caller errors (an aborted `signal`, a non-path `file`, a path with
 * a NUL byte, a bad `maxBytes`), with the same errors the writers throw for them.
 *
 * The file is opened without blocking and checked with `fstat` before a byte is read: a FIFO, a
 * device such as `/dev/zero`, a socket or a directory gives `NOT_REGULAR_FILE`, a file larger than
 * `maxBytes` gives `TOO_LARGE`.
 *
 * @example
 * const loaded = await readFileValidated('config.json', { parse: JSON.parse, validate: ConfigSchema });
 * if (!loaded.ok && loaded.error.code === 'MISSING') useDefaults();
 */
export async function readFileValidated<T = unknown>(
  file: PathLike,
  options: ReadValidatedOptions<T> = {},
): Promise<LoadResult<T>> {
  const { target, path } = loaderPaths(file, options, READ_OPTION_NAMES, 'readFileValidated');
  const maxBytes = checkMaxBytes(options.maxBytes);
  throwIfAborted(options.signal);
  let read: BoundedRead;
  try {
    read = await readBoundedFile(target, maxBytes, options.signal);
  } catch (error) {
    if ((error as Error | undefined)?.name === 'AbortError') throw error;
    return classifyReadError(path, error);
  }
  const bytes = fromBoundedRead(path, read, maxBytes);
  if (!bytes.ok) return bytes;
  const decoded = decode(path, bytes.value, options);
  return decoded.ok ? validate(path, decoded.value, options.validate) : decoded;
}

/**
 * Synchronous {@link readFileValidated}. A schema whose validation is asynchronous cannot be used
 * here and throws a `TypeError` (a programming error, not a property of the file).
 */
export function readFileValidatedSync<T = unknown>(
  file: PathLike,
  options: ReadValidatedOptions<T> = {},
): LoadResult<T> {
  const { target, path } = loaderPaths(file, options, READ_OPTION_NAMES, 'readFileValidatedSync');
  const maxBytes = checkMaxBytes(options.maxBytes);
  let read: BoundedRead;
  try {
    read = readBoundedFileSync(target, maxBytes);
  } catch (error) {
    return classifyReadError(path, error);
  }
  const bytes = fromBoundedRead(path, read, maxBytes);
  if (!bytes.ok) return bytes;
  const decoded = decode(path, bytes.value, options);
  if (!decoded.ok) return decoded;
  const result = validate(path, decoded.value, options.validate);
  if (result instanceof Promise) {
    throw new TypeError('readFileValidatedSync: the schema validates asynchronously; use readFileValidated');
  }
  return result;
}

/** Reads a UTF-8 JSON file and validates it; see {@link readFileValidated}. */
export function readJsonValidated<T = unknown>(
  file: PathLike,
  validator?: Validator<T>,
  options: ReadJsonOptions = {},
): Promise<LoadResult<T>> {
  checkOptionNames(options, READ_JSON_OPTION_NAMES, 'readJsonValidated');
  return readFileValidated<T>(file, { ...options, encoding: 'utf8', parse: JSON.parse, validate: validator });
}

/** Synchronous {@link readJsonValidated}. */
export function readJsonValidatedSync<T = unknown>(
  file: PathLike,
  validator?: Validator<T>,
  options: ReadJsonOptions = {},
): LoadResult<T> {
  checkOptionNames(options, READ_JSON_OPTION_NAMES, 'readJsonValidatedSync');
  return readFileValidatedSync<T>(file, { ...options, encoding: 'utf8', parse: JSON.parse, validate: validator });
}
