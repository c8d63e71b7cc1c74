import fs from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** The file a write will replace, after following symlinks at the last path component. */
export interface Target {
  /** Where the new file goes: the input path, or the file its symlink chain points to. */
  readonly path: string;
  readonly dir: string;
  readonly base: string;
  /** The existing file's stats, or `undefined` if there is none yet. */
  readonly stats: Stats | undefined;
}

// Linux's own limit on symlink hops (MAXSYMLINKS).
const MAX_SYMLINK_HOPS = 40;

function target(path: string, stats: Stats | undefined): Target {
  return { path, dir: dirname(path), base: basename(path), stats };
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function tooManyLinks(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ELOOP: too many symbolic links encountered, lstat '${path}'`), {
    code: 'ELOOP',
    syscall: 'lstat',
    path,
  });
}

function isDirectoryError(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), {
    code: 'EISDIR',
    syscall: 'open',
    path,
  });
}

/**
 * Symlink policy: like `fs.writeFile`, a symlink at the last component is followed (also when
 * dangling) and the file it points to is replaced, so the link survives; the temp file is created
 * next to that file so the rename stays on one device. With `follow` false (exclusive creation)
 * the path is used as given, as `O_EXCL` does. Runs on the calling thread: see planOwnershipFix.
 */
export function inspectTargetSync(path: string, follow: boolean): Target {
  let current = path;
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop += 1) {
    let stats: Stats;
    try {
      stats = fs.lstatSync(current);
    } catch (error) {
      if (isNotFound(error)) return target(current, undefined);
      throw error;
    }
    if (stats.isDirectory()) throw isDirectoryError(current);
    if (!follow || !stats.isSymbolicLink()) return target(current, stats);
    current = resolve(dirname(current), fs.readlinkSync(current));
  }
  throw tooManyLinks(path);
}
