/**
 * The durable-write helper, published as `durable-write-runtime` (and re-exported by the plugin at
 * `eslint-plugin-durable-write/durable`):
 * atomic, power-loss-safe file replacement and validated loading, with no dependencies.
 * See docs/durable.md for the guarantees per platform.
 * @packageDocumentation
 */
export { writeFileDurable } from './write.js';
export { writeFileDurableSync } from './write-sync.js';
export { writeFilesDurable } from './write-many.js';
export type { DurableFileEntry, DurableGroupOptions } from './write-many.js';
export { writeJsonDurable, writeJsonDurableSync } from './json.js';
export type { DurableJsonOptions } from './json.js';
export {
  DEFAULT_MAX_READ_BYTES,
  LoadError,
  readFileValidated,
  readFileValidatedSync,
  readJsonValidated,
  readJsonValidatedSync,
} from './read.js';
export type { LoadErrorCode, LoadResult, ReadJsonOptions, ReadValidatedOptions, Validator } from './read.js';
export type { SpecialFileType } from './file-type.js';
export { sweepStaleTemps } from './sweep.js';
export type { SweepOptions } from './sweep.js';
export { DurabilityUnknownError, DurableWriteError } from './errors.js';
export type { DurableWriteStep } from './errors.js';
export { WRITE_FLAGS, WRITE_OPTION_NAMES } from './options.js';
export type { DurableFileOptions, DurableWriteOptions, DurableWriteOptionsObject } from './options.js';
export type { DurableData, DurableSyncData } from './payload.js';
export type { StandardSchemaV1 } from './standard-schema.js';
export { TEMP_SUFFIX } from './temp-name.js';
