import fs, { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { describeFileType, specialFileType } from './file-type.js';
import type { SpecialFileType } from './file-type.js';
import { followLink, pathText, splitPath } from './fs-path.js';
import type { FsPath } from './fs-path.js';

/** The file a write will replace, after following symlinks at the last path component. */
export interface Target {
  /** Where the new file goes: the input path, or the file its symlink chain points to. */
  readonly path: FsPath;
  readonly dir: FsPath;
  readonly base: FsPath;
  /** The existing file's stats, or `undefined` if there is none yet (or it was not looked at). */
  readonly stats: Stats | undefined;
}

// Linux's own limit on symlink hops (MAXSYMLINKS).
const MAX_SYMLINK_HOPS = 40;

function target(path: FsPath, stats: Stats | undefined): Target {
  const { dir, base } = splitPath(path);
  // `file/` names a directory: open(2) refuses it with EISDIR, whatever is there.
  if (base.length === 0)
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${pathText(path)}'`), {
      code: 'EISDIR',
      syscall: 'open',
      path: pathText(path),
    });
  return { path, dir, base, stats };
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function tooManyLinks(path: FsPath): NodeJS.ErrnoException {
  return Object.assign(new Error(`ELOOP: too many symbolic links encountered, lstat '${pathText(path)}'`), {
    code: 'ELOOP',
    syscall: 'lstat',
    path: pathText(path),
  });
}

/** What a refused target is reported as; {@link DurableWriteError} copies `fileType` from it. */
export interface SpecialTargetError extends NodeJS.ErrnoException {
  readonly fileType: SpecialFileType;
}

function specialTargetError(requested: FsPath, actual: FsPath, type: SpecialFileType): SpecialTargetError {
  const where =
    requested === actual
      ? `'${pathText(actual)}'`
      : `'${pathText(actual)}' (where the symlink '${pathText(requested)}' leads)`;
  if (type === 'directory') {
    // The errno fs.writeFile gives for a directory, which callers already check.
    return Object.assign(new Error(`EISDIR: ${where} is a directory`), {
      code: 'EISDIR',
      syscall: 'lstat',
      path: pathText(actual),
      fileType: type,
    });
  }
  return Object.assign(
    new Error(
      `NOT_REGULAR_FILE: ${where} is ${describeFileType(type)}, which a rename would replace with a regular file; ` +
        'pass { replaceSpecialFile: true } to do that',
    ),
    { code: 'NOT_REGULAR_FILE', syscall: 'lstat', path: pathText(actual), fileType: type },
  );
}

/**
 * `fs.writeFile` opens the file in place, which needs write permission on the file; a rename needs
 * it only on the directory, and would replace a read-only (0444) file that `fs.writeFile` refuses
 * with EACCES. The mode bits answer the common case (our own file, writable by us) without a call.
 */
function checkWritable(path: FsPath, stats: Stats): void {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0 || (stats.uid === uid && (stats.mode & 0o200) !== 0)) return;
  fs.accessSync(path, constants.W_OK);
}

/**
 * Symlink policy: like `fs.writeFile`, a symlink at the last component is followed (also when
 * dangling) and the file it points to is replaced, so the link survives; the temp file is created
 * next to that file so the rename stays on one device. A relative link is resolved by the kernel
 * from the link's own directory, so it is appended to that directory's path as written: simplifying
 * `dir/../x` as text would be wrong when `dir` is itself a symlink. With `follow` false (exclusive
 * creation) the path is used as given, as `O_EXCL` does. Runs on the calling thread: see planOwnershipFix.
 *
 * A FIFO, device or socket (`~/.history -> /dev/null` is common) is refused unless
 * `replaceSpecialFile`: `fs.writeFile` would write into it, a rename destroys it. A directory is
 * always refused (a rename cannot replace it with a file).
 */
export function inspectTargetSync(path: FsPath, follow: boolean, replaceSpecialFile = false): Target {
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
      if (type === 'directory' || (follow && type && !replaceSpecialFile))
        throw specialTargetError(path, current, type);
      if (follow && !type) checkWritable(current, stats);
      return target(current, stats);
    }
    current = followLink(
      splitPath(current).dir,
      fs.readlinkSync(current, { encoding: 'buffer' }),
      typeof current === 'string',
    );
  }
  throw tooManyLinks(path);
}
