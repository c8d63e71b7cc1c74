/**
 * A local helper that hands its temp to a function it is given and renames it once that function
 * returned (`writeAtomic(dest, (tmp) => writeFile(tmp, d))`): the write is in the caller's function,
 * the rename in the helper. Whatever the rule and the codemod offer must, when run, fsync the data
 * before the rename (the tracer sees no unsynced rename) and behave as the original did.
 */
import { afterAll, describe, it } from 'vitest';
import { createFixOracle } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour } = createFixOracle('handed-function');
afterAll(() => scratch.dispose());

describe('a temp written by a function handed to the helper that renames it: every offered fix is durable', () => {
  it('ESM, an awaited function writing the temp with fs.promises.writeFile', () => {
    expectFixesPreserveBehaviour(
      `import fs from 'node:fs/promises';

async function writeAtomic(dest, write) {
  const tmp = dest + '.tmp';
  await write(tmp);
  await fs.rename(tmp, dest);
}

async function save(file, text) {
  await writeAtomic(file, (tmp) => fs.writeFile(tmp, text));
}

await save('state.json', '{"n":1}');
console.log(await fs.readFile('state.json', 'utf8'));
`,
      'esm',
      { expectedBy: ['suggestion addFlushAndDirectorySync'] },
    );
  });
});
