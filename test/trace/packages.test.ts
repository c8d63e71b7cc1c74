import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helperEntry, programs, scratchDir, sourceLine, trace } from './support.js';

const program = join(programs, 'packages.mjs');
const scratch = scratchDir('packages');
afterAll(scratch.remove);

const run = (variant: string) => {
  return trace(['node', program, scratch.fresh(variant), variant, helperEntry]);
};

describe('trace: real packages', () => {
  // The package the user called, and the user's own line that called it.
  for (const variant of ['steno', 'lowdb', 'cacache', 'write-file-atomic']) {
    it(`${variant}: reports the dependency and the script's call`, () => {
      const { findings, status, programStderr } = run(variant);
      expect(programStderr).toBe('');
      expect(status).toBe(1);
      expect(findings).toHaveLength(1);
      const [finding] = findings;
      expect(finding?.rule).toBe('unsynced-rename');
      expect(finding?.write?.package?.name).toBe(variant);
      expect(finding?.rename.package?.name).toBe(variant);
      expect(finding?.rename.site?.file).toBe(program);
      expect(finding?.write?.site?.file).toBe(program);
      // The script's line is the one calling into the package.
      expect(sourceLine(finding?.rename.site)).toMatch(/write|put/);
    });
  }

  it('the same saves through the durable helper (lowdb with a helper adapter, plain) report nothing', () => {
    for (const variant of ['helper-lowdb', 'helper-async']) {
      const { findings, status } = run(variant);
      expect(findings).toEqual([]);
      expect(status).toBe(0);
    }
  });
});
