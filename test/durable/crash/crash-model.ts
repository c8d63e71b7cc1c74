// A crash-state checker in the spirit of ALICE (Pillai et al., OSDI 2014): rebuild the file
// operations of a traced program, then enumerate every on-disk state that a pessimistic POSIX
// model allows if power is lost between any two of them.
//
// The model: unsynced file data may be lost or reach the disk as zeros, independently per 4 KiB
// chunk, and the file's size may be any size it had since its last fsync; fsync of a file makes
// its earlier data durable (not its name); directory entry changes persist in program order, and
// only an fsync of that directory makes them durable.
import { basename, dirname } from 'node:path';
import { constants } from 'node:fs';
import { fdArgs, stringArgs } from './strace-trace.js';
import type { TracedCall } from './strace-trace.js';

export const CHUNK = 4096;

type DirOp =
  | { readonly kind: 'create'; readonly name: string; readonly inode: number }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string }
  | { readonly kind: 'link'; readonly from: string; readonly to: string }
  | { readonly kind: 'unlink'; readonly name: string };
type DataOp =
  | { readonly kind: 'write'; readonly offset: number; readonly bytes: Uint8Array }
  | { readonly kind: 'truncate'; readonly size: number };

/** One operation on the modelled directory, in the order the program completed it. */
export type ModelOp =
  | { readonly kind: 'dir'; readonly op: DirOp }
  | { readonly kind: 'data'; readonly inode: number; readonly op: DataOp }
  | { readonly kind: 'fsync'; readonly inode: number }
  | { readonly kind: 'dirsync' }
  | { readonly kind: 'marker'; readonly name: string };

/** Turns the traced calls that touch `dir` into model operations. */
export function buildModel(calls: readonly TracedCall[], dir: string, initial: ReadonlyMap<string, number>): ModelOp[] {
  const ops: ModelOp[] = [];
  const names = new Map(initial); // the volatile view of the directory
  let nextInode = Math.max(0, ...initial.values()) + 1;
  const fds = new Map<number, { inode: number; offset: number; durable: boolean } | 'dir'>();
  const inDir = (path: string) => dirname(path) === dir;
  for (const call of calls) {
    if (call.result < 0) {
      const [path] = stringArgs(call.args).map((bytes) => Buffer.from(bytes).toString('utf8'));
      if (
        (call.name === 'openat' || call.name === 'open') &&
        path &&
        inDir(path) &&
        basename(path).startsWith('.marker-')
      ) {
        ops.push({ kind: 'marker', name: basename(path).slice('.marker-'.length) });
      }
      continue;
    }
    const fd = fdArgs(call.args)[0];
    switch (call.name) {
      case 'open':
      case 'openat': {
        const path = call.resultPath;
        if (path === dir) fds.set(call.result, 'dir');
        if (path === undefined || !inDir(path)) break;
        const flags = parseOpenFlags(call.args);
        const name = basename(path);
        let inode = names.get(name);
        if (inode === undefined) {
          inode = nextInode++;
          names.set(name, inode);
          ops.push({ kind: 'dir', op: { kind: 'create', name, inode } });
        } else if (flags & constants.O_TRUNC) {
          ops.push({ kind: 'data', inode, op: { kind: 'truncate', size: 0 } });
        }
        // O_SYNC / O_DSYNC: each write is on disk when it returns, as if followed by fdatasync.
        fds.set(call.result, { inode, offset: 0, durable: (flags & constants.O_DSYNC) !== 0 });
        break;
      }
      case 'write':
      case 'pwrite64':
      case 'writev':
      case 'pwritev':
      case 'pwritev2': {
        const file = fd === undefined ? undefined : fds.get(fd);
        if (file === undefined || file === 'dir') break;
        const bytes = Buffer.concat(stringArgs(call.args)).subarray(0, call.result);
        const positional = call.name.startsWith('pwrite');
        // The offset is the last argument, except for pwritev2 whose flags follow it.
        const offsetPattern = call.name === 'pwritev2' ? /,\s*(\d+),\s*[^,]+$/ : /,\s*(\d+)$/;
        const offset = positional ? Number(offsetPattern.exec(call.args)![1]) : file.offset;
        ops.push({ kind: 'data', inode: file.inode, op: { kind: 'write', offset, bytes } });
        if (file.durable) ops.push({ kind: 'fsync', inode: file.inode });
        if (!positional) file.offset += bytes.byteLength;
        break;
      }
      case 'ftruncate': {
        const file = fd === undefined ? undefined : fds.get(fd);
        if (file === undefined || file === 'dir') break;
        ops.push({
          kind: 'data',
          inode: file.inode,
          op: { kind: 'truncate', size: Number(/,\s*(\d+)$/.exec(call.args)![1]) },
        });
        break;
      }
      case 'fsync':
      case 'fdatasync': {
        const file = fd === undefined ? undefined : fds.get(fd);
        if (file === 'dir') ops.push({ kind: 'dirsync' });
        else if (file !== undefined) ops.push({ kind: 'fsync', inode: file.inode });
        break;
      }
      case 'close':
        if (fd !== undefined) fds.delete(fd);
        break;
      case 'rename':
      case 'renameat':
      case 'renameat2':
      case 'link':
      case 'linkat': {
        const [from, to] = stringArgs(call.args).map((bytes) => Buffer.from(bytes).toString('utf8'));
        if (!from || !to || (!inDir(from) && !inDir(to))) break;
        if (!inDir(from) || !inDir(to))
          throw new Error(`cross-directory ${call.name} is outside the model: ${from} -> ${to}`);
        const inode = names.get(basename(from))!;
        if (call.name.startsWith('rename')) names.delete(basename(from));
        names.set(basename(to), inode);
        const kind = call.name.startsWith('rename') ? 'rename' : 'link';
        ops.push({ kind: 'dir', op: { kind, from: basename(from), to: basename(to) } });
        break;
      }
      case 'unlink':
      case 'unlinkat': {
        const [path] = stringArgs(call.args).map((bytes) => Buffer.from(bytes).toString('utf8'));
        if (!path || !inDir(path)) break;
        names.delete(basename(path));
        ops.push({ kind: 'dir', op: { kind: 'unlink', name: basename(path) } });
        break;
      }
    }
  }
  return ops;
}

function parseOpenFlags(args: string): number {
  const text = /"\s*,\s*([A-Z_|]+)/.exec(args)?.[1] ?? '';
  return text.split('|').reduce((flags, name) => flags | ((constants as Record<string, number>)[name] ?? 0), 0);
}

function applyDataOp(content: Uint8Array, op: DataOp): Uint8Array {
  if (op.kind === 'truncate') {
    const next = new Uint8Array(op.size);
    next.set(content.subarray(0, op.size));
    return next;
  }
  const next = new Uint8Array(Math.max(content.byteLength, op.offset + op.bytes.byteLength));
  next.set(content);
  next.set(op.bytes, op.offset);
  return next;
}

function chunkOf(content: Uint8Array, index: number): Uint8Array {
  const chunk = new Uint8Array(CHUNK);
  chunk.set(content.subarray(index * CHUNK, (index + 1) * CHUNK));
  return chunk;
}

/** Every content the inode may have after a crash, given its data operations and fsyncs so far. */
export function possibleContents(initial: Uint8Array, history: readonly (DataOp | 'fsync')[]): Uint8Array[] {
  const lastSync = history.lastIndexOf('fsync');
  let durable = initial;
  for (const op of history.slice(0, lastSync + 1)) if (op !== 'fsync') durable = applyDataOp(durable, op);
  const versions = [durable];
  const touched = new Set<number>();
  for (const op of history.slice(lastSync + 1)) {
    if (op === 'fsync') continue;
    versions.push(applyDataOp(versions.at(-1)!, op));
    const [start, end] =
      op.kind === 'write'
        ? [op.offset, op.offset + op.bytes.byteLength]
        : [op.size, Math.max(op.size, versions.at(-2)!.byteLength)];
    for (let chunk = Math.floor(start / CHUNK); chunk * CHUNK < end; chunk += 1) touched.add(chunk);
  }
  const sizes = new Set(versions.map((version) => version.byteLength));
  const chunkCount = Math.ceil(Math.max(...sizes) / CHUNK);
  // Per chunk: the durable bytes, zeros, or the bytes of any later version.
  const choices = Array.from({ length: chunkCount }, (_, index) => {
    if (!touched.has(index)) return [chunkOf(durable, index)];
    const options = [new Uint8Array(CHUNK), ...versions.map((version) => chunkOf(version, index))];
    return dedupe(options);
  });
  const results: Uint8Array[] = [];
  const assemble = (index: number, parts: Uint8Array[]) => {
    if (index === chunkCount) {
      const whole = new Uint8Array(chunkCount * CHUNK);
      parts.forEach((part, at) => whole.set(part, at * CHUNK));
      for (const size of sizes) results.push(whole.slice(0, size));
      return;
    }
    for (const option of choices[index]!) assemble(index + 1, [...parts, option]);
  };
  assemble(0, []);
  return dedupe(results);
}

function dedupe(contents: Uint8Array[]): Uint8Array[] {
  const seen = new Map<string, Uint8Array>();
  for (const content of contents) seen.set(Buffer.from(content).toString('base64'), content);
  return [...seen.values()];
}

/** What a crash state holds at one name. */
export type TargetState = 'OLD' | 'NEW' | 'MISSING' | 'EMPTY' | 'ZEROED' | 'PARTIAL';

export interface CrashPoint {
  /** Number of model operations that completed before the power was cut. */
  readonly completed: number;
  /** Markers passed before the cut (e.g. 'returned' once the call under test returned). */
  readonly markers: readonly string[];
  /** Every state the named file may be found in after the crash. */
  readonly states: ReadonlySet<TargetState>;
}

/** Enumerates the crash states of the file called `name` at every crash point. */
export function crashStates(
  ops: readonly ModelOp[],
  initialNames: ReadonlyMap<string, number>,
  initialContents: ReadonlyMap<number, Uint8Array>,
  name: string,
  expected: { old: Uint8Array | undefined; new: Uint8Array },
): CrashPoint[] {
  const points: CrashPoint[] = [];
  for (let completed = 0; completed <= ops.length; completed += 1) {
    const prefix = ops.slice(0, completed);
    const dirOps = prefix.flatMap((op) => (op.kind === 'dir' ? [op.op] : []));
    const lastDirSync = prefix.findLastIndex((op) => op.kind === 'dirsync');
    const durableDirOps = prefix.slice(0, lastDirSync + 1).filter((op) => op.kind === 'dir').length;
    const states = new Set<TargetState>();
    for (let persisted = durableDirOps; persisted <= dirOps.length; persisted += 1) {
      const names = new Map(initialNames);
      for (const op of dirOps.slice(0, persisted)) {
        if (op.kind === 'create') names.set(op.name, op.inode);
        else if (op.kind === 'unlink') names.delete(op.name);
        else {
          names.set(op.to, names.get(op.from)!);
          if (op.kind === 'rename') names.delete(op.from);
        }
      }
      const inode = names.get(name);
      if (inode === undefined) {
        states.add('MISSING');
        continue;
      }
      const history = prefix.flatMap((op): (DataOp | 'fsync')[] =>
        op.kind === 'data' && op.inode === inode ? [op.op] : op.kind === 'fsync' && op.inode === inode ? ['fsync'] : [],
      );
      for (const content of possibleContents(initialContents.get(inode) ?? new Uint8Array(0), history)) {
        states.add(classify(content, expected));
      }
    }
    const markers = prefix.flatMap((op) => (op.kind === 'marker' ? [op.name] : []));
    points.push({ completed, markers, states });
  }
  return points;
}

function classify(content: Uint8Array, expected: { old: Uint8Array | undefined; new: Uint8Array }): TargetState {
  if (Buffer.from(content).equals(Buffer.from(expected.new))) return 'NEW';
  if (expected.old && Buffer.from(content).equals(Buffer.from(expected.old))) return 'OLD';
  if (content.byteLength === 0) return 'EMPTY';
  if (content.every((byte) => byte === 0)) return 'ZEROED';
  return 'PARTIAL';
}
