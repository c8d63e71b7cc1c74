import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import type { FsPath } from './fs-path.js';

/** Every temp file name ends with this, which is what makes leftovers recognisable. */
export const TEMP_SUFFIX = '.durable-tmp';

// NAME_MAX is 255 bytes; 40 characters of the target's name take at most 160 bytes in UTF-8 and
// leave room for the unique part. A name given as bytes keeps its first 160 bytes.
const MAX_BASENAME_CHARS = 40;
const MAX_BASENAME_BYTES = 160;

// The pid and thread id make names unique among live writers; the per-thread nonce keeps a
// leftover from a dead process with a recycled pid from colliding with a new name.
const nonce = randomBytes(4).toString('hex');
let sequence = 0;

/**
 * A fresh temp file name for a target named `targetBase`, unique across processes and threads: text
 * for a text name, bytes for a name given as bytes (which may not be UTF-8).
 */
export function createTempName(targetBase: FsPath): FsPath {
  sequence += 1;
  const unique = `.${String(process.pid)}.${String(threadId)}.${nonce}${sequence.toString(36)}${TEMP_SUFFIX}`;
  if (typeof targetBase !== 'string')
    return Buffer.concat([Buffer.from('.'), targetBase.subarray(0, MAX_BASENAME_BYTES), Buffer.from(unique)]);
  return `.${Array.from(targetBase).slice(0, MAX_BASENAME_CHARS).join('')}${unique}`;
}

const TEMP_NAME = /^\..*\.(\d+)\.\d+\.[0-9a-f]{8}[0-9a-z]+\.durable-tmp$/su;

/**
 * Is `name` a temp file (made by {@link createTempName}) of a writer that is no longer running on
 * this host, as far as this pid namespace can tell?
 */
export function isLeftoverTemp(name: FsPath): boolean {
  // latin1 maps each byte to one character: the ASCII suffix matches whatever the name's bytes are.
  const pid = TEMP_NAME.exec(typeof name === 'string' ? name : name.toString('latin1'))?.[1];
  if (pid === undefined) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}
