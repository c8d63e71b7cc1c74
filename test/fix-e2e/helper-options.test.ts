/**
 * The helper refuses with a TypeError the options it cannot honour (`flush: false`, names it does not
 * know); `fs.writeFile` ignores names it does not know. A fix moves a write's options into the helper
 * only when the helper honours them as `fs` does; elsewhere the write is fixed in place. Each program
 * runs before and after every fix (execution is the oracle).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rewriteSource } from '../../codemods/engine.js';
import { createFixOracle, fixedBy } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour } = createFixOracle('helper-options');
afterAll(() => scratch.dispose());

const program = (options: string): string => `const fs = require('fs');

function save(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data, ${options});
  fs.renameSync(tmp, file);
}

save('out.json', 'payload');
console.log(fs.readFileSync('out.json', 'utf8'));
`;

describe('options the helper refuses or would act on stay with fs', () => {
  for (const [why, options] of [
    ['flush: false (the helper refuses an unsynced write)', "{ encoding: 'utf8', flush: false }"],
    ['a name fs ignores and the helper refuses', "{ encoding: 'utf8', retries: 3 }"],
    ["atomically's fsyncWait", '{ fsyncWait: false }'],
    ['a callback fs ignores and the helper would call', "{ tmpfileCreated: () => console.log('created') }"],
  ] as const) {
    it(why, () => {
      // The in-place suggestion (flush: true, the directory fsync) is what is left; the codemod leaves the site for review.
      const { before, versions } = expectFixesPreserveBehaviour(program(options), 'cjs', {
        expectedBy: ['suggestion addFlushAndDirectorySync'],
      });
      expect(before.stdout).toBe('payload\n');
      for (const version of versions)
        expect({ by: version.by, helper: version.text.includes('writeFileDurable') }).toEqual({
          by: version.by,
          helper: false,
        });
      const filename = join(scratch.packageDir('cjs'), 'program.cjs');
      writeFileSync(filename, program(options));
      const codemod = rewriteSource(program(options), filename);
      expect(codemod.sites.map((site) => site.status)).toEqual(['review']);
    });
  }
});

describe('options the helper honours as fs does move into it', () => {
  it('encoding and mode', () => {
    const { versions } = expectFixesPreserveBehaviour(program("{ encoding: 'utf8', mode: 0o600 }"), 'cjs');
    expect(fixedBy(versions, 'eslint --fix')).toContain(
      "writeFileDurableSync(file, data, { encoding: 'utf8', mode: 0o600 });",
    );
  });
});
