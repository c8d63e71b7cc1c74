import type { PathLike } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidArgument, kindOf } from './errors.js';
import { isWindows } from './platform.js';

/**
 * A path as the system calls receive it. A Buffer stays bytes: a name that is not UTF-8
 * (`caf\xe9.json`) decoded to a string would become `caf\uFFFD.json`, another file.
 */
export type FsPath = string | Buffer;

const SLASH = 0x2f;

// A round trip instead of buffer.isUtf8, which the vendored copy's oldest @types/node may lack.
const isUtf8 = (bytes: Buffer) => Buffer.from(bytes.toString()).equals(bytes);

/**
 * The absolute path a `PathLike` names, with every component kept as written. POSIX resolves `..`
 * after following the symlink before it (`link/../x` is in the link's real parent), so the text is
 * never simplified: a relative path only gets the working directory (which `getcwd` returns without
 * symlinks) put in front. Windows resolves `..` as text itself, so there `path.resolve` is exact.
 * File descriptors are refused (a rename needs a name), and so are an empty path and a NUL byte,
 * with the `TypeError` every entry point (readers, writers, sweep) gives.
 */
export function toFsPath(file: PathLike): FsPath {
  let path: FsPath;
  if (typeof file === 'string') path = file;
  else if (Buffer.isBuffer(file)) path = file;
  // fs itself converts a file: URL this way (and throws the same URIError for non-UTF-8 escapes).
  else if (file instanceof URL) path = fileURLToPath(file);
  else
    throw invalidArgument(
      'ERR_INVALID_ARG_TYPE',
      `file must be a path (string, Buffer or file: URL), got ${kindOf(file)}`,
    );
  if (path.length === 0) throw invalidArgument('ERR_INVALID_ARG_VALUE', 'file must not be an empty path');
  if (typeof path === 'string' ? path.includes('\0') : path.includes(0)) {
    throw invalidArgument(
      'ERR_INVALID_ARG_VALUE',
      `file must not contain a NUL byte, got ${JSON.stringify(pathText(path))}`,
    );
  }
  if (isWindows()) return resolve(pathText(path));
  if (typeof path === 'string') return isAbsolute(path) ? path : joinPath(process.cwd(), path);
  return path[0] === SLASH ? path : joinPath(process.cwd(), path);
}

/** The directory and the last component, split at the last separator; nothing else is touched. */
export function splitPath(path: FsPath): { readonly dir: FsPath; readonly base: FsPath } {
  if (typeof path === 'string') {
    if (isWindows()) return { dir: dirname(path), base: basename(path) };
    const cut = path.lastIndexOf('/');
    return { dir: cut === 0 ? '/' : path.slice(0, cut), base: path.slice(cut + 1) };
  }
  const cut = path.lastIndexOf(SLASH);
  return { dir: cut === 0 ? Buffer.from('/') : path.subarray(0, cut), base: path.subarray(cut + 1) };
}

/** `dir/name` as text or bytes: bytes as soon as either part is bytes. */
export function joinPath(dir: FsPath, name: FsPath): FsPath {
  if (typeof dir === 'string' && typeof name === 'string') {
    if (isWindows()) return join(dir, name);
    return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
  }
  const head = Buffer.from(dir);
  return Buffer.concat(
    head[head.length - 1] === SLASH ? [head, Buffer.from(name)] : [head, Buffer.from('/'), Buffer.from(name)],
  );
}

/** A symlink's target, relative to the directory holding the link (where the kernel starts it). */
export function followLink(dir: FsPath, link: Buffer, asText: boolean): FsPath {
  // Text stays text while the bytes are UTF-8, so messages and `tmpfileCreated` see strings.
  const target: FsPath = asText && isUtf8(link) ? link.toString() : link;
  if (isWindows()) return resolve(pathText(dir), pathText(target));
  return (typeof target === 'string' ? target.startsWith('/') : target[0] === SLASH) ? target : joinPath(dir, target);
}

/** For messages and error objects; a name that is not UTF-8 shows U+FFFD there. */
export function pathText(path: FsPath): string {
  return typeof path === 'string' ? path : path.toString();
}

/**
 * One key per file name for the per-path queue, whether it came as text or bytes. Textual `..`
 * is folded here (never for a system call): two spellings of one name share a queue, which only
 * orders writes that might have raced.
 */
export function pathKey(path: FsPath): string {
  if (typeof path === 'string') return resolve(path);
  return isUtf8(path) ? resolve(path.toString()) : `\0${resolve(path.toString('latin1'))}`;
}
