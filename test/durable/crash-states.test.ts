import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, crashStates } from './crash/crash-model.js';
import type { CrashPoint, TargetState } from './crash/crash-model.js';
import { straceUnavailableReason, traceNode } from './crash/strace-trace.js';
import { transpiledHelperEntry } from './support/transpiled-helper.js';

const SUBJECT = resolve(import.meta.dirname, 'programs/crash-subject.mjs');
// The subject imports write-file-atomic from the repo's node_modules, so it runs from inside it.
const scratch = resolve(import.meta.dirname, '../../.scratch');
mkdirSync(scratch, { recursive: true });
const root = mkdtempSync(join(scratch, 'crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const unavailable = straceUnavailableReason();
if (unavailable) console.warn(`crash-state checker skipped: ${unavailable}`);

// Two chunks and a bit of NEW, so torn states (one chunk new, one zero) are possible; OLD differs
// in size and every byte.
const OLD = Buffer.alloc(5000, 'old contents. ');
const NEW = Buffer.from(Array.from({ length: 9000 }, (_, i) => 65 + (i % 26)));

let helperEntry = '';
beforeAll(() => {
  mkdirSync(root, { recursive: true });
  helperEntry = transpiledHelperEntry();
});

function traceVariant(variant: string) {
  const dir = join(root, variant);
  mkdirSync(dir);
  // The starting state is durable by definition: the checker only models what the program does.
  writeFileSync(join(dir, 'target'), OLD);
  writeFileSync(join(root, `${variant}.new`), NEW);
  const calls = traceNode(
    [SUBJECT, helperEntry, dir, variant, join(root, `${variant}.new`)],
    join(root, `${variant}.strace`),
  );
  const initialNames = new Map([['target', 1]]);
  const ops = buildModel(calls, dir, initialNames);
  const contents = new Map([[1, new Uint8Array(OLD)]]);
  const check = (name: string, old: Uint8Array | undefined) =>
    crashStates(ops, initialNames, contents, name, { old, new: NEW });
  return { ops, check };
}

const during = (points: CrashPoint[]) =>
  points.filter((point) => point.markers.includes('start') && !point.markers.includes('returned'));
const after = (points: CrashPoint[]) => points.filter((point) => point.markers.includes('returned'));
const union = (points: CrashPoint[]) => new Set<TargetState>(points.flatMap((point) => [...point.states]));

describe.skipIf(unavailable !== undefined)('power-loss crash states (strace + pessimistic POSIX model)', () => {
  it('the checker finds the bug in the naive writeFile + rename: EMPTY, ZEROED and PARTIAL targets', () => {
    const points = traceVariant('naive').check('target', OLD);
    const found = union(during(points).concat(after(points)));
    expect(found).toEqual(new Set(['OLD', 'NEW', 'EMPTY', 'ZEROED', 'PARTIAL']));
    // Even after the call returned, nothing is durable.
    expect(union(after(points))).toContain('ZEROED');
  });

  it('the checker finds that write-file-atomic can still lose the write after it returned (no directory fsync)', () => {
    const points = traceVariant('write-file-atomic').check('target', OLD);
    expect(union(during(points))).toEqual(new Set(['OLD', 'NEW']));
    expect(union(after(points))).toEqual(new Set(['OLD', 'NEW']));
  });

  for (const variant of ['helper-async', 'helper-sync', 'helper-group']) {
    it(`${variant}: every crash state is exactly OLD or NEW, and only NEW once the call returned`, () => {
      const { ops, check } = traceVariant(variant);
      const points = check('target', OLD);
      expect(ops.filter((op) => op.kind === 'dirsync').length).toBeGreaterThanOrEqual(1);
      expect(during(points).length).toBeGreaterThan(5);
      for (const point of during(points))
        expect([...point.states].every((state) => state === 'OLD' || state === 'NEW')).toBe(true);
      expect(union(during(points))).toEqual(new Set(['OLD', 'NEW']));
      for (const point of after(points)) expect(point.states).toEqual(new Set(['NEW']));
      if (variant === 'helper-group') {
        const second = check('second', undefined);
        expect(union(during(second))).toEqual(new Set(['MISSING', 'NEW']));
        for (const point of after(second)) expect(point.states).toEqual(new Set(['NEW']));
      }
    });
  }
});
