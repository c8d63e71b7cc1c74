import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
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
  'bad-filehandle-flush',
  'bad-promises',
  'bad-stream',
  'bad-sync',
  'bad-truncate-fd',
  'bad-truncate-filehandle',
  'bad-truncate-path',
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
      expect(sourceLine(finding.write?.site)).toMatch(/write|append|copyFile|createWriteStream|truncate/i);
      expect(finding.write!.site!.line).toBeLessThan(finding.rename.site!.line);
      expect(finding.rename.package).toBeUndefined();
    }
  });
});

describe('the rule and the tracer', () => {
  it('report the same files renamed unsynced, truncates included (directories have a message of their own)', () => {
    const text = readFileSync(flavours, 'utf8');
    const lines = text.split('\n');
    const variantAt = (line: number): string | undefined => {
      for (let i = line - 1; i >= 0; i--) {
        const name = /^ {2}'([a-z-]+)': /.exec(lines[i]!)?.[1];
        if (name) return name;
      }
      return undefined;
    };
    const messages = new Linter({ configType: 'flat' }).verify(
      text,
      [
        {
          plugins: { 'durable-write': plugin },
          rules: { 'durable-write/no-unsynced-rename': 'error' },
        },
      ],
      { filename: flavours },
    );
    const reported = messages.filter((m) => m.messageId === 'unsyncedRename').map((m) => variantAt(m.line));
    expect(reported.sort()).toEqual(bad.filter((variant) => variant !== 'bad-directory'));
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
