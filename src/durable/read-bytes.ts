import fs, { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { throwIfAborted } from './errors.js';
import { specialFileType } from './file-type.js';
import type { SpecialFileType } from './file-type.js';
import type { FsPath } from './fs-path.js';
import * as io from './io.js';
import { settle } from './steps.js';

/**
 * Opening for a read never waits: without O_NONBLOCK, `open` of a FIFO with no writer (or of some
 * terminals and devices) blocks forever, and an async open holds one of libuv's four thread-pool
 * threads while it does. O_NOCTTY: opening a terminal must not make it our controlling terminal.
 */
const OPEN_READ_NONBLOCKING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

const fstat = (fd: number) => new Promise<fs.Stats>((resolve, reject) => fs.fstat(fd, settle(resolve, reject)));
const read = (fd: number, buffer: Buffer, offset: number, length: number) =>
  new Promise<number>((resolve, reject) => fs.read(fd, buffer, offset, length, null, settle(resolve, reject)));

/** The bytes of a regular file, or why they were not read. System errors are thrown as they are. */
export type BoundedRead =
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  | { readonly kind: 'special'; readonly type: SpecialFileType }
  /** `size` is what fstat said, or `undefined` when the file grew past the limit while being read. */
  | { readonly kind: 'too-large'; readonly size: number | undefined };

/** First read when fstat reports 0 bytes, as files in /proc and /sys do. */
const UNKNOWN_SIZE_CHUNK = 64 * 1024;

/**
 * Collects reads into one buffer that never exceeds `maxBytes + 1` bytes. The file is read until a
 * read returns 0, not up to fstat's size: the file may grow meanwhile, and /proc reports size 0.
 */
class BoundedBuffer {
  private buffer: Buffer;
  private length = 0;

  constructor(
    size: number,
    private readonly maxBytes: number,
  ) {
    // One byte beyond the expected size, so that growth shows and the read of 0 proves EOF.
    this.buffer = Buffer.allocUnsafe(Math.min(size > 0 ? size + 1 : UNKNOWN_SIZE_CHUNK, maxBytes + 1));
  }

  /** Where the next read goes: `[buffer, offset, length]`. */
  space(): [Buffer, number, number] {
    if (this.length === this.buffer.byteLength) {
      const grown = Buffer.allocUnsafe(Math.min(this.buffer.byteLength * 2, this.maxBytes + 1));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    return [this.buffer, this.length, this.buffer.byteLength - this.length];
  }

  /** Records a read of `count` bytes; `false` once there is nothing more to read (EOF or past the limit). */
  add(count: number): boolean {
    this.length += count;
    return count > 0 && this.length <= this.maxBytes;
  }

  result(): BoundedRead {
    if (this.length > this.maxBytes) return { kind: 'too-large', size: undefined };
    return { kind: 'bytes', bytes: this.buffer.subarray(0, this.length) };
  }
}

function refusal(stats: Stats, maxBytes: number): BoundedRead | undefined {
  const type = specialFileType(stats);
  if (type) return { kind: 'special', type };
  if (stats.size > maxBytes) return { kind: 'too-large', size: stats.size };
  return undefined;
}

/**
 * `open` fails on some special files before fstat could name them: a Unix socket gives ENXIO, a
 * directory on Windows EISDIR. A `stat` (which never opens, so never blocks) says what is there.
 * Runs only on that error path.
 */
function specialFromOpenFailure(path: FsPath, error: unknown): BoundedRead {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENXIO' || code === 'EISDIR' || code === 'EOPNOTSUPP') {
    let type: SpecialFileType | undefined;
    try {
      type = specialFileType(fs.statSync(path));
    } catch {
      throw error;
    }
    if (type) return { kind: 'special', type };
  }
  throw error;
}

/** Reads a regular file of at most `maxBytes` bytes; never blocks on FIFOs, devices or sockets. */
export async function readBoundedFile(
  path: FsPath,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<BoundedRead> {
  let fd: number;
  try {
    fd = await io.open(path, OPEN_READ_NONBLOCKING, 0);
  } catch (error) {
    return specialFromOpenFailure(path, error);
  }
  try {
    throwIfAborted(signal);
    const stats = await fstat(fd);
    const refused = refusal(stats, maxBytes);
    if (refused) return refused;
    const collected = new BoundedBuffer(stats.size, maxBytes);
    for (;;) {
      throwIfAborted(signal);
      if (!collected.add(await read(fd, ...collected.space()))) return collected.result();
    }
  } finally {
    await io.closeQuietly(fd);
  }
}

/** Synchronous {@link readBoundedFile}. */
export function readBoundedFileSync(path: FsPath, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    fd = fs.openSync(path, OPEN_READ_NONBLOCKING);
  } catch (error) {
    return specialFromOpenFailure(path, error);
  }
  try {
    const stats = fs.fstatSync(fd);
    const refused = refusal(stats, maxBytes);
    if (refused) return refused;
    const collected = new BoundedBuffer(stats.size, maxBytes);
    while (collected.add(fs.readSync(fd, ...collected.space(), null)));
    return collected.result();
  } finally {
    io.closeQuietlySync(fd);
  }
}
