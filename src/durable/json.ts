import type { PathLike } from 'node:fs';
import { invalidArgument } from './errors.js';
import type { DurableWriteOptionsObject } from './options.js';
import { writeFileDurable } from './write.js';
import { writeFileDurableSync } from './write-sync.js';

/** Options of {@link writeJsonDurable}: the write options plus `JSON.stringify`'s `space`. */
export interface DurableJsonOptions extends DurableWriteOptionsObject {
  /** Indentation passed to `JSON.stringify` (default: none). */
  space?: string | number | undefined;
}

function toJsonText(value: unknown, space: string | number | undefined): string {
  const text = JSON.stringify(value, null, space);
  if (text === undefined)
    throw invalidArgument('ERR_INVALID_ARG_VALUE', `JSON.stringify produced nothing for a ${typeof value}`);
  // A trailing newline, as editors and formatters write JSON files.
  return `${text}\n`;
}

/** Serialises `value` as JSON (plus a newline) and writes it with {@link writeFileDurable}. */
export async function writeJsonDurable(
  file: PathLike,
  value: unknown,
  options: DurableJsonOptions = {},
): Promise<void> {
  const { space, ...writeOptions } = options;
  await writeFileDurable(file, toJsonText(value, space), writeOptions);
}

/** Synchronous {@link writeJsonDurable}. */
export function writeJsonDurableSync(file: PathLike, value: unknown, options: DurableJsonOptions = {}): void {
  const { space, ...writeOptions } = options;
  writeFileDurableSync(file, toJsonText(value, space), writeOptions);
}
