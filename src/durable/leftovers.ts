import { joinPath, pathKey } from './fs-path.js';
import type { FsPath } from './fs-path.js';
import { quietly, readdir, unlink } from './steps.js';
import type { Steps } from './steps.js';
import { isLeftoverTemp } from './temp-name.js';

// Temp files of writers killed between creating the temp and renaming it would pile up, one per
// kill, since every writer picks a unique name. The first write into a directory in this thread
// removes the leftovers of dead writers there, so that after any number of kills each target has
// at most the temps of the writers killed since (usually one), without the caller running
// sweepStaleTemps. Live writers' temps (this process included) are never touched. A directory shared
// with writers in another pid namespace or host is the caveat of sweepStaleTemps: see docs/durable.md.

/** Directories already swept by this thread; bounded so that a process writing everywhere stays small. */
const swept = new Set<string>();
const MAX_REMEMBERED = 4096;

/** Has `dir` still to be swept in this thread? */
export const hasLeftoversToSweep = (dir: FsPath): boolean => !swept.has(pathKey(dir));

function remember(dir: FsPath): void {
  if (swept.size >= MAX_REMEMBERED) swept.clear();
  swept.add(pathKey(dir));
}

/** Best effort: a directory that cannot be listed or a temp that cannot be removed is left as is. */
export function* sweepLeftovers(dir: FsPath): Steps<void> {
  remember(dir);
  let names: Buffer[];
  try {
    names = yield* readdir(dir);
  } catch {
    // The write itself reports what is wrong with the directory.
    return;
  }
  // Another writer may remove one first, or it is not ours to remove.
  yield* quietly(...names.filter(isLeftoverTemp).map((name) => unlink(joinPath(dir, name))));
}
