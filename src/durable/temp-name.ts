import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';

/** Every temp file name ends with this, which is what makes leftovers recognisable. */
export const TEMP_SUFFIX = '.durable-tmp';

// NAME_MAX is 255 bytes; 40 characters of the target's name take at most 160 bytes in UTF-8 and
// leave room for the unique part.
const MAX_BASENAME_CHARS = 40;

// The pid and thread id make names unique among live writers; the per-thread nonce keeps a
// leftover from a dead process with a recycled pid from colliding with a new name.
const nonce = randomBytes(4).toString('hex');
let sequence = 0;

/** A fresh temp file name for a target named `targetBase`, unique across processes and threads. */
export function createTempName(targetBase: string): string {
  sequence += 1;
  const shown = Array.from(targetBase).slice(0, MAX_BASENAME_CHARS).join('');
  return `.${shown}.${process.pid}.${threadId}.${nonce}${sequence.toString(36)}${TEMP_SUFFIX}`;
}

/** What a temp file name says about its writer. */
export interface TempNameInfo {
  /** The (possibly truncated) name of the target it was written for. */
  readonly targetPrefix: string;
  readonly pid: number;
  readonly threadId: number;
}

const TEMP_NAME = /^\.(.*)\.(\d+)\.(\d+)\.[0-9a-f]{8}[0-9a-z]+\.durable-tmp$/su;

/** Parses a name made by {@link createTempName}; `undefined` for any other name. */
export function parseTempName(name: string): TempNameInfo | undefined {
  const match = TEMP_NAME.exec(name);
  if (!match) return undefined;
  return { targetPrefix: match[1] ?? '', pid: Number(match[2]), threadId: Number(match[3]) };
}
