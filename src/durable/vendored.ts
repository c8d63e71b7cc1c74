/**
 * The copy of the helper that `durable-write fix --vendor <file>` writes into a project
 * (scripts/build-vendor.js makes one file of this module and what it reaches): the durable core
 * only, with {@link plainLayers}. Where the runtime package adds a layer, this copy behaves like the
 * `writeFile(tmp)` + `rename` the fix replaced: a failed step throws fs's own error, a symlink,
 * FIFO or device at the path is replaced by the new file, the file gets the default mode (or
 * `options.mode`), a rename is tried once, and concurrent calls on one path are not ordered.
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
