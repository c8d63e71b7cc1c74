/**
 * The copy of the helper that `durable-write fix --vendor <file>` writes into a project
 * (scripts/build-vendor.js makes one file of this module and what it reaches): the durable core
 * only, with {@link plainLayers}. The core finds the target as `fs.writeFile` does (a symlink is
 * followed, a FIFO or device refused), honours or refuses every option, and runs async calls on one
 * path in call order. Where the runtime package adds a layer, this copy behaves like the
 * `writeFile(tmp)` + `rename` the fix replaced: a failed step throws fs's own error, the file gets
 * the default mode (or `options.mode`), and a rename is tried once.
 */
import type { PathLike } from 'node:fs';
import { plainLayers } from './layers.js';
import type { DurableWriteOptions } from './options.js';
import type { DurableData, DurableSyncData } from './payload.js';
import { publish, publishSync } from './publish.js';

/**
 * Replaces `file` with `data` durably: temp file next to it, write, fsync, rename, fsync of the
 * directory. Takes what `fs.promises.writeFile` takes. A failure before the rename leaves the file
 * as it was and no temp file; a failed directory fsync throws after the file was replaced.
 */
export function writeFileDurable(file: PathLike, data: DurableData, options?: DurableWriteOptions): Promise<void> {
  return publish(file, data, options, plainLayers);
}

/** Synchronous {@link writeFileDurable}: takes what `fs.writeFileSync` takes. */
export function writeFileDurableSync(file: PathLike, data: DurableSyncData, options?: DurableWriteOptions): void {
  publishSync(file, data, options, plainLayers);
}
