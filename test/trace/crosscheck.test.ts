// The tracer against the strace-based crash-state checker (test/durable/crash/): the same runs,
// traced both ways at once, must agree on which renames published unsynced data.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, type ModelOp } from '../durable/crash/crash-model.js';
import { straceUnavailableReason, traceNode } from '../durable/crash/strace-trace.js';
import type { TraceReport } from '../../src/trace/report.js';
import { mergeReports } from '../../src/trace/report.js';
import { helperEntry, programs, register, renamedTargets, scratchDir } from './support.js';

const unavailable = straceUnavailableReason();
if (unavailable) console.warn(`tracer/strace cross-check skipped: ${unavailable}`);
const scratch = scratchDir('crosscheck');
const reportsRoot = join(scratch.dir, 'reports');
beforeAll(() => mkdirSync(reportsRoot));
// traceNode() passes this process's environment on: the report directory goes through it.
afterAll(() => {
  delete process.env.DURABLE_WRITE_TRACE_DIR;
  scratch.remove();
});

/** Targets of renames whose source had data written since its last fsync, per the strace model. */
function unsyncedRenamesInModel(ops: readonly ModelOp[], initial: ReadonlyMap<string, number>): string[] {
  const names = new Map(initial);
  const dirty = new Set<number>();
  const found: string[] = [];
  for (const op of ops) {
    if (op.kind === 'data') dirty.add(op.inode);
    else if (op.kind === 'fsync') dirty.delete(op.inode);
    else if (op.kind === 'dir') {
      const change = op.op;
      if (change.kind === 'create') names.set(change.name, change.inode);
      else if (change.kind === 'unlink') names.delete(change.name);
      else {
        const inode = names.get(change.from)!;
        if (change.kind === 'rename') {
          names.delete(change.from);
          if (dirty.has(inode)) found.push(change.to);
        }
        names.set(change.to, inode);
      }
    }
  }
  return found.sort();
}

function bothWays(program: string, args: (dir: string) => string[], initial: ReadonlyMap<string, number> = new Map()) {
  const dir = scratch.fresh();
  const name = basename(dir);
  const reports = join(reportsRoot, name);
  mkdirSync(reports);
  for (const file of initial.keys()) writeFileSync(join(dir, file), 'old contents');
  process.env.DURABLE_WRITE_TRACE_DIR = reports;
  const calls = traceNode([`--import=${register}`, program, ...args(dir)], join(scratch.dir, `${name}.strace`));
  const fromStrace = unsyncedRenamesInModel(buildModel(calls, dir, initial), initial);
  const loaded = readdirSync(reports).map(
    (file) => JSON.parse(readFileSync(join(reports, file), 'utf8')) as TraceReport,
  );
  const findings = mergeReports(loaded);
  // The tracer sees renames anywhere; the model one directory.
  const fromTracer = renamedTargets(
    findings.filter((finding) => finding.renames.every((r) => resolve(r.to, '..') === dir)),
  );
  return { fromStrace, fromTracer, reports: loaded.length };
}

describe.skipIf(unavailable !== undefined)('tracer and strace crash-state checker agree', () => {
  it('every fs flavour, the durable ones and the helper: the same unsynced renames, and none else', () => {
    // Outside the strace model: copyFile (copy_file_range/sendfile) and files in subdirectories.
    const variants = [...readFileSync(join(programs, 'flavours.mjs'), 'utf8').matchAll(/^ {2}'([a-z-]+)': /gm)]
      .map((match) => match[1]!)
      .filter((variant) => variant !== 'bad-copy' && !variant.endsWith('-directory'));
    process.env.FLAVOURS = variants.join(',');
    try {
      const { fromStrace, fromTracer, reports } = bothWays(join(programs, 'flavours.mjs'), (dir) => [dir, helperEntry]);
      expect(reports).toBe(1);
      expect(fromStrace).toEqual(variants.filter((variant) => variant.startsWith('bad-')).sort());
      expect(fromTracer).toEqual(fromStrace);
    } finally {
      delete process.env.FLAVOURS;
    }
  });

  for (const variant of ['naive', 'write-file-atomic', 'helper-async', 'helper-sync', 'helper-group']) {
    it(`the crash-state checker's own subject, ${variant}`, () => {
      const subject = resolve(import.meta.dirname, '../durable/programs/crash-subject.mjs');
      const { fromStrace, fromTracer } = bothWays(
        subject,
        (dir) => {
          writeFileSync(join(scratch.dir, `${basename(dir)}.new`), 'new contents');
          return [helperEntry, dir, variant, join(scratch.dir, `${basename(dir)}.new`)];
        },
        new Map([['target', 1]]),
      );
      expect(fromStrace).toEqual(variant === 'naive' ? ['target'] : []);
      expect(fromTracer).toEqual(fromStrace);
    });
  }
});
