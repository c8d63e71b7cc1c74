import fs from 'node:fs';
import type { PathLike } from 'node:fs';
import { stepError } from './errors.js';
import { joinPath, pathText, toFsPath } from './fs-path.js';
import { checkOptionNames } from './options.js';
import { isLeftoverTemp } from './temp-name.js';

/** Options of {@link sweepStaleTemps}. */
export interface SweepOptions {
  /**
   * Only remove temp files whose last modification is at least this old (default 0). Set it when
   * the directory is shared with other hosts or pid namespaces, whose writers this process cannot
   * see and would take for dead.
   */
  minAgeMs?: number | undefined;
}

const SWEEP_OPTION_NAMES: ReadonlySet<string> = new Set(['minAgeMs']);

/**
 * Removes temp files left in `dir` by writers that were killed mid-write, and returns their
 * paths. A temp file is recognised by its name (`.<target>.<pid>.<threadId>.<unique>.durable-tmp`)
 * and removed only if the process that created it is no longer running on this host, so live
 * writers' temps are never touched. Temps of a live process (including this one) are kept.
 *
 * @throws {@link DurableWriteError} (step `sweep-list` or `sweep-remove`, with the system error's
 *   `code`, e.g. `EROFS`, `EACCES`) when the directory cannot be listed or a temp file cannot be
 *   removed; a `TypeError` for a `dir` that is not a path.
 */
export async function sweepStaleTemps(dir: PathLike, options: SweepOptions = {}): Promise<string[]> {
  const root = toFsPath(dir);
  checkOptionNames(options, SWEEP_OPTION_NAMES, 'sweepStaleTemps');
  const minAgeMs = options.minAgeMs ?? 0;
  const removed: string[] = [];
  let names: Buffer[];
  try {
    // Names as bytes: a temp of a target whose name is not UTF-8 is not UTF-8 either.
    names = await fs.promises.readdir(root, { encoding: 'buffer' });
  } catch (error) {
    throw stepError('sweep-list', root, error);
  }
  for (const name of names) {
    if (!isLeftoverTemp(name)) continue;
    const path = joinPath(root, name);
    try {
      const stats = await fs.promises.lstat(path);
      if (!stats.isFile() || Date.now() - stats.mtimeMs < minAgeMs) continue;
      await fs.promises.unlink(path);
      removed.push(pathText(path));
    } catch (error) {
      // Another sweeper got there first.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw stepError('sweep-remove', path, error);
    }
  }
  return removed;
}
