/**
 * A rename above its write in a loop: each round publishes the temp file the previous round wrote.
 * The first round has nothing to rename, so the program does something else there than a helper
 * call at the rename would (which writes the destination at once); found by the fuzzer's execution
 * oracle at seed 20261127. Whatever is offered must behave as the original does, and be durable.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createFixOracle } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour } = createFixOracle('rename-before-write');
afterAll(() => scratch.dispose());

describe('a rename above its write, in a loop', () => {
  it('CommonJS, sync: no rewrite into the helper, and what is offered keeps the rounds', () => {
    const { versions } = expectFixesPreserveBehaviour(
      `const fs = require('fs');

function saveEach(file, chunks) {
  const tmp = file + '.tmp';
  for (const chunk of chunks) {
    fs.renameSync(tmp, file);
    fs.writeFileSync(tmp, chunk);
  }
}

fs.writeFileSync('log.txt.tmp', 'zero', { flush: true });
saveEach('log.txt', ['one', 'two']);
console.log(fs.readFileSync('log.txt', 'utf8'), fs.readFileSync('log.txt.tmp', 'utf8'));
`,
      'cjs',
      { expectedBy: [] },
    );
    for (const version of versions) expect(version.text, version.by).not.toMatch(/writeFileDurable/);
  });
});
