import fs from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { describeFileType, specialFileType } from './file-type.js';
import type { SpecialFileType } from './file-type.js';

/** The file a write will replace, after following symlinks at the last path component. */
export interface Target {
  /** Where the new file goes: the input path, or the file its symlink chain points to. */
  readonly path: string;
  readonly dir: string;
  readonly base: string;
  /** The existing file's stats, or `undefined` if there is none yet (or it was not looked at). */
  readonly stats: Stats | undefined;
}

// Linux's own limit on symlink hops (MAXSYMLINKS).
const MAX_SYMLINK_HOPS = 40;

function target(path: string, stats: Stats | undefined): Target {
  return { path, dir: dirname(path), base: basename(path), stats };
}

/** The path as given, not looked at: what `writeFile(tmp)` + `rename` replaces (a symlink itself, a FIFO). */
export function plainTarget(path: string): Target {
  return target(path, undefined);
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

/** What a refused target is reported as; {@link DurableWriteError} copies `fileType` from it. */
export interface SpecialTargetError extends NodeJS.ErrnoException {
  readonly fileType: SpecialFileType;
}

function specialTargetError(requested: string, actual: string, type: SpecialFileType): SpecialTargetError {
  const where = requested === actual ? `'${actual}'` : `'${actual}' (where the symlink '${requested}' leads)`;
  if (type === 'directory') {
    // The errno fs.writeFile gives for a directory, which callers already check.
    return Object.assign(new Error(`EISDIR: ${where} is a directory`), { code: 'EISDIR', syscall: 'lstat', path: actual, fileType: type });
  }
  return Object.assign(
    new Error(
      `NOT_REGULAR_FILE: ${where} is ${describeFileType(type)}, which a rename would replace with a regular file; ` +
        'pass { replaceSpecialFile: true } to do that',
    ),
    { code: 'NOT_REGULAR_FILE', syscall: 'lstat', path: actual, fileType: type },
  );
}

/**
 * Symlink policy: like `fs.writeFile`, a symlink at the last component is followed (also when
 * dangling) and the file it points to is replaced, so the link survives; the temp file is created
 * next to that file so the rename stays on one device. With `follow` false (exclusive creation)
 * the path is used as given, as `O_EXCL` does. Runs on the calling thread: see planOwnershipFix.
 *
 * A FIFO, device or socket (`~/.history -> /dev/null` is common) is refused unless
 * `replaceSpecialFile`: `fs.writeFile` would write into it, a rename destroys it. A directory is
 * always refused (a rename cannot replace it with a file).
 */
export function inspectTargetSync(path: string, follow: boolean, replaceSpecialFile = false): Target {
  let current = path;
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop += 1) {
    let stats: Stats;
    try {
      stats = fs.lstatSync(current);
    } catch (error) {
      if (isNotFound(error)) return target(current, undefined);
      throw error;
    }
    if (!follow || !stats.isSymbolicLink()) {
      const type = specialFileType(stats);
      // With `follow` false the write is exclusive: link() refuses anything that exists (EEXIST).
      if (type === 'directory' || (follow && type && !replaceSpecialFile)) throw specialTargetError(path, current, type);
      return target(current, stats);
    }
    current = resolve(dirname(current), fs.readlinkSync(current));
  }
  throw tooManyLinks(path);
}
