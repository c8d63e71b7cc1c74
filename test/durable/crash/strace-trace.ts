import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One completed system call from an `strace -f -y -xx` log, in completion order. */
export interface TracedCall {
  readonly tid: number;
  readonly name: string;
  /** The raw argument text, with fd annotations (`3</path>`) and hex-escaped strings. */
  readonly args: string;
  /** The return value (`-1` on error), and for a returned descriptor its annotated path. */
  readonly result: number;
  readonly resultPath: string | undefined;
  readonly errno: string | undefined;
}

export const TRACED_SYSCALLS = [
  'open',
  'openat',
  'creat',
  'write',
  'pwrite64',
  'writev',
  'pwritev',
  'pwritev2',
  'fsync',
  'fdatasync',
  'close',
  'rename',
  'renameat',
  'renameat2',
  'unlink',
  'unlinkat',
  'link',
  'linkat',
  'ftruncate',
  'truncate',
];

export { straceUnavailableReason } from '../../../scripts/lib/machine.js';

/**
 * Runs `node <args>` under `strace -f -y -xx` and returns its calls. libuv runs async fs calls on
 * its thread pool (hence -f), and would hand them to io_uring unless told not to.
 */
export function traceNode(args: readonly string[], logPath: string, { cwd }: { cwd?: string } = {}): TracedCall[] {
  const run = spawnSync(
    'strace',
    [
      '-f',
      '-y',
      '-xx',
      '-qq',
      '-s',
      '4000000',
      '-e',
      `trace=${TRACED_SYSCALLS.join(',')}`,
      '-o',
      logPath,
      process.execPath,
      ...args,
    ],
    { encoding: 'utf8', env: { ...process.env, UV_USE_IO_URING: '0' }, ...(cwd ? { cwd } : {}) },
  );
  if (run.status !== 0) throw new Error(`traced program failed (${run.status}): ${run.stderr}`);
  return parseStraceLog(readFileSync(logPath, 'utf8'));
}

const CALL = /^(\w+)\((.*)\)\s+=\s+(-?\d+)(?:<([^>]*)>)?(?:\s+(E[A-Z0-9]+))?/s;

/**
 * Joins `<unfinished ...>` / `<... resumed>` halves; a call takes its place where it completed,
 * except `close`, which takes its place where it started: the kernel frees the descriptor during
 * the call, so another thread's `open` may return the same number, and be logged, before the
 * `close` is logged as resumed (seen on a loaded machine: the write to the new file was then
 * attributed to nothing).
 */
export function parseStraceLog(log: string): TracedCall[] {
  const pending = new Map<number, { text: string; slot: number | undefined }>();
  const calls: (TracedCall | undefined)[] = [];
  for (const line of log.split('\n')) {
    const match = /^(\d+)\s+(.*)$/s.exec(line);
    if (!match) continue;
    const tid = Number(match[1]);
    let text = match[2]!;
    let slot: number | undefined;
    if (text.endsWith('<unfinished ...>')) {
      const started = text.slice(0, -'<unfinished ...>'.length).trimEnd();
      const placeAtStart = started.startsWith('close(');
      pending.set(tid, { text: started, slot: placeAtStart ? calls.push(undefined) - 1 : undefined });
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/s.exec(text);
    if (resumed) {
      const start = pending.get(tid);
      text = `${start?.text ?? ''}${resumed[1]}`;
      slot = start?.slot;
      pending.delete(tid);
    }
    const call = CALL.exec(text);
    if (!call) continue; // signals, exits
    const parsed: TracedCall = {
      tid,
      name: call[1]!,
      args: call[2]!,
      result: Number(call[3]),
      resultPath: call[4] === undefined ? undefined : decodeStraceString(call[4]),
      errno: call[5],
    };
    if (slot === undefined) calls.push(parsed);
    else calls[slot] = parsed;
  }
  // A close that never resumed (the process exited) leaves its slot empty.
  return calls.filter((call) => call !== undefined);
}

/** Decodes the body of an strace string (`\x41\x42`, and with -y paths that may be plain). */
export function decodeStraceString(body: string): string {
  return Buffer.from(decodeStraceBytes(body)).toString('utf8');
}

export function decodeStraceBytes(body: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i += 1) {
    if (body[i] === '\\' && body[i + 1] === 'x') {
      bytes.push(Number.parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (body[i] === '\\') {
      const escaped = body[i + 1]!;
      bytes.push(
        ({ n: 10, t: 9, r: 13, v: 11, f: 12, '\\': 92, '"': 34 } as Record<string, number>)[escaped] ??
          escaped.charCodeAt(0),
      );
      i += 1;
    } else {
      bytes.push(...Buffer.from(body[i]!, 'utf8'));
    }
  }
  return Uint8Array.from(bytes);
}

/** The quoted strings among a call's arguments, decoded, in order. */
export function stringArgs(args: string): Uint8Array[] {
  return [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => decodeStraceBytes(match[1]!));
}

/** The descriptors among a call's arguments (`3</path>`), in order. */
export function fdArgs(args: string): number[] {
  return [...args.matchAll(/(?:^|[\s,(])(\d+)</g)].map((match) => Number(match[1]));
}
