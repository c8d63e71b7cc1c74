import fs from 'node:fs';
import type { PathLike } from 'node:fs';
import { throwIfAborted } from './errors.js';
import * as io from './io.js';
import { toAbsolutePath } from './platform.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** Why a load failed; see {@link LoadError}. */
export type LoadErrorCode = 'MISSING' | 'EMPTY' | 'ZEROED' | 'UNPARSABLE' | 'INVALID' | 'IO';

/**
 * Why {@link readFileValidated} could not produce a value. `code` says what was found on disk:
 * - `MISSING`: no file at the path (`ENOENT`);
 * - `EMPTY`: the file has 0 bytes (a create or truncate whose data never reached the disk);
 * - `ZEROED`: the file holds only NUL bytes (its size reached the disk, its data did not);
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

  constructor(code: LoadErrorCode, path: string, detail: string, extra: { cause?: unknown; issues?: readonly StandardSchemaV1.Issue[] } = {}) {
    // One line, whatever the parser or validator put in its messages.
    super(`${code}: ${detail.replace(/\s*\n\s*/g, ' ')}`, { cause: extra.cause });
    const system = (extra.cause ?? {}) as NodeJS.ErrnoException;
    this.code = code;
    this.path = path;
    this.systemCode = code === 'IO' || code === 'MISSING' ? system.code : undefined;
    this.errno = code === 'IO' || code === 'MISSING' ? system.errno : undefined;
    this.syscall = code === 'IO' || code === 'MISSING' ? system.syscall : undefined;
    this.issues = extra.issues ?? [];
  }
}

/** The outcome of a validated load: a value, or a {@link LoadError}; never a thrown disk error. */
export type LoadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: LoadError };

/** A Standard Schema v1 (zod, valibot, arktype, …) or a predicate (a type guard narrows `T`). */
export type Validator<T> = StandardSchemaV1<unknown, T> | ((value: unknown) => value is T) | ((value: unknown) => boolean);

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
}

function classifyReadError(path: string, error: unknown): LoadResult<never> {
  const system = error as NodeJS.ErrnoException;
  if (system.code === 'ENOENT') return failure('MISSING', path, `no such file '${path}'`, { cause: error });
  return failure('IO', path, `${system.message ?? String(error)}`, { cause: error });
}

function failure(...args: ConstructorParameters<typeof LoadError>): { ok: false; error: LoadError } {
  return { ok: false, error: new LoadError(...args) };
}

function isAllZero(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

function isStandardSchema(validator: unknown): validator is StandardSchemaV1 {
  // Checked before "is it a function": arktype schemas are callable and carry '~standard' too.
  return (typeof validator === 'object' || typeof validator === 'function') && validator !== null && '~standard' in validator;
}

function describeIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  const [first] = issues;
  if (!first) return 'the schema refused the value';
  const where = (first.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  return `${where ? `${where}: ` : ''}${first.message}${more}`;
}

/** Everything up to validation, which is the only step that may need to await. */
function decode<T>(path: string, bytes: Buffer, options: ReadValidatedOptions<T>): LoadResult<unknown> {
  if (bytes.byteLength === 0) return failure('EMPTY', path, `'${path}' is empty (0 bytes)`);
  if (isAllZero(bytes)) {
    return failure('ZEROED', path, `'${path}' holds only NUL bytes (${bytes.byteLength}), the trace of a write lost in a power cut`);
  }
  const encoding = options.encoding ?? (options.parse ? 'utf8' : undefined);
  if (encoding === undefined) return { ok: true, value: bytes };
  let text = bytes.toString(encoding);
  if (!options.parse) return { ok: true, value: text };
  // A leading BOM is not content (editors on Windows add one), and JSON.parse rejects it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: options.parse(text) };
  } catch (error) {
    return failure('UNPARSABLE', path, `'${path}' could not be parsed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function fromSchemaResult<T>(path: string, result: StandardSchemaV1.Result<T>): LoadResult<T> {
  if (result.issues) {
    return failure('INVALID', path, `'${path}' is invalid: ${describeIssues(result.issues)}`, { issues: result.issues });
  }
  return { ok: true, value: result.value };
}

function invalidFromThrow(path: string, error: unknown): LoadResult<never> {
  const message = error instanceof Error ? error.message : String(error);
  return failure('INVALID', path, `'${path}' is invalid: the validator threw: ${message}`, { cause: error, issues: [{ message }] });
}

function validate<T>(path: string, value: unknown, validator: Validator<T> | undefined): LoadResult<T> | Promise<LoadResult<T>> {
  if (validator === undefined) return { ok: true, value: value as T };
  try {
    if (isStandardSchema(validator)) {
      const result = (validator as StandardSchemaV1<unknown, T>)['~standard'].validate(value);
      if (result instanceof Promise) {
        return result.then((settled) => fromSchemaResult(path, settled), (error: unknown) => invalidFromThrow(path, error));
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
 * result. It rejects only for caller errors (an aborted `signal`, a non-path `file`).
 *
 * @example
 * const loaded = await readFileValidated('config.json', { parse: JSON.parse, validate: ConfigSchema });
 * if (!loaded.ok && loaded.error.code === 'MISSING') useDefaults();
 */
export async function readFileValidated<T = unknown>(file: PathLike, options: ReadValidatedOptions<T> = {}): Promise<LoadResult<T>> {
  const path = toAbsolutePath(file);
  throwIfAborted(options.signal);
  let bytes: Buffer;
  try {
    bytes = await io.readFile(path, options.signal);
  } catch (error) {
    if ((error as Error | undefined)?.name === 'AbortError') throw error;
    return classifyReadError(path, error);
  }
  const decoded = decode(path, bytes, options);
  return decoded.ok ? validate(path, decoded.value, options.validate) : decoded;
}

/**
 * Synchronous {@link readFileValidated}. A schema whose validation is asynchronous cannot be used
 * here and throws a `TypeError` (a programming error, not a property of the file).
 */
export function readFileValidatedSync<T = unknown>(file: PathLike, options: ReadValidatedOptions<T> = {}): LoadResult<T> {
  const path = toAbsolutePath(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (error) {
    return classifyReadError(path, error);
  }
  const decoded = decode(path, bytes, options);
  if (!decoded.ok) return decoded;
  const result = validate(path, decoded.value, options.validate);
  if (result instanceof Promise) {
    throw new TypeError('readFileValidatedSync: the schema validates asynchronously; use readFileValidated');
  }
  return result;
}

/** Reads a UTF-8 JSON file and validates it; see {@link readFileValidated}. */
export function readJsonValidated<T = unknown>(file: PathLike, validator?: Validator<T>): Promise<LoadResult<T>> {
  return readFileValidated<T>(file, { encoding: 'utf8', parse: JSON.parse, validate: validator });
}

/** Synchronous {@link readJsonValidated}. */
export function readJsonValidatedSync<T = unknown>(file: PathLike, validator?: Validator<T>): LoadResult<T> {
  return readFileValidatedSync<T>(file, { encoding: 'utf8', parse: JSON.parse, validate: validator });
}
