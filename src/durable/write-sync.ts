import type { PathLike } from 'node:fs';
import { fullLayers } from './full-layers.js';
import type { DurableWriteOptions } from './options.js';
import type { DurableSyncData } from './payload.js';
import { publishSync } from './publish.js';

/**
 * Synchronous {@link writeFileDurable}: the same steps and guarantees, for the data and options
 * `fs.writeFileSync` accepts. Not ordered against pending async writes to the same path (it
 * cannot wait for them); `options.signal` is ignored, as `fs.writeFileSync` ignores it.
 *
 * @param file - Path of the file to replace (a symlink is followed; see docs/durable.md).
 * @param data - A string or any `ArrayBufferView`.
 * @param options - What `fs.writeFileSync` accepts, plus `directorySync`.
 * @throws {@link DurableWriteError} when a step before the rename fails (the target is untouched
 *   and the temp file removed); {@link DurabilityUnknownError} when the directory fsync fails.
 */
export function writeFileDurableSync(file: PathLike, data: DurableSyncData, options?: DurableWriteOptions): void {
  publishSync(file, data, options, fullLayers);
}
