import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helperEntry, programs, renamedTargets, scratchDir, sourceLine, trace } from './support.js';

const flavours = join(programs, 'flavours.mjs');
const scratch = scratchDir('flavours');
afterAll(scratch.remove);
const freshDir = scratch.fresh;

const bad = [
  'bad-append',
  'bad-callback',
  'bad-copy',
  'bad-directory',
  'bad-fd',
  'bad-filehandle',
  'bad-promises',
  'bad-stream',
  'bad-sync',
];

describe('trace: every fs flavour', () => {
  const dir = freshDir();
  const run = trace(['node', flavours, dir, helperEntry]);

  it('reports each unsynced rename once (a directory holding an unsynced file too) and no durable one (fsync, fdatasync, flush, FileHandle.sync, O_SYNC, the helper)', () => {
    expect(run.programStderr).toBe('');
    expect(run.status).toBe(1);
    expect(renamedTargets(run.findings)).toEqual(bad);
    for (const finding of run.findings) expect(finding.count).toBe(1);
  });

  it('names the write and the rename by their source lines in the program', () => {
    for (const finding of run.findings) {
      expect(finding.rename.site?.file).toBe(flavours);
      expect(finding.write?.site?.file).toBe(flavours);
      expect(sourceLine(finding.rename.site)).toMatch(/rename/);
      // A WriteStream's writes are queued by Node itself: its creation is the place to fix.
      expect(sourceLine(finding.write?.site)).toMatch(/write|append|copyFile|createWriteStream/i);
      expect(finding.write!.site!.line).toBeLessThan(finding.rename.site!.line);
      expect(finding.rename.package).toBeUndefined();
    }
  });
});

describe('trace: directory fsync (--directories)', () => {
  it('reports a durable rename whose directory is never fsynced, as a warning of its own', () => {
    const run = trace(['node', flavours, freshDir()], {
      args: ['--directories'],
      env: { FLAVOURS: 'ok-sync,bad-sync' },
    });
    expect(renamedTargets(run.findings, 'rename-without-directory-sync')).toEqual(['bad-sync', 'ok-sync']);
    expect(renamedTargets(run.findings)).toEqual(['bad-sync']);
  });

  it('does not report it when the directory is fsynced afterwards (the helper) or without the option', () => {
    expect(
      trace(['node', flavours, freshDir(), helperEntry], { args: ['--directories'], env: { FLAVOURS: 'ok-helper' } })
        .findings,
    ).toEqual([]);
    const plain = trace(['node', flavours, freshDir()], { env: { FLAVOURS: 'ok-sync' } });
    expect(plain.findings).toEqual([]);
    expect(plain.status).toBe(0);
  });
});
