/**
 * A function that writes a temp and hands back a commit step renaming it (`return { commit: () =>
 * rename(tmp, dest) }`, or the step itself): the write is in the maker, the rename in a function its
 * caller runs later. Whatever the rule and the codemod offer must, when run, fsync the data before the
 * rename (the tracer sees no unsynced rename) and behave as the original did.
 */
import { afterAll, describe, it } from 'vitest';
import { createFixOracle } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour } = createFixOracle('commit-step');
afterAll(() => scratch.dispose());

describe('a commit step handed back by the function that wrote the temp: every offered fix is durable', () => {
  it('ESM, a returned object whose async commit renames the staged file', () => {
    expectFixesPreserveBehaviour(
      `import { writeFile, rename, readFile, unlink } from 'node:fs/promises';

async function stage(dest, text) {
  const staging = dest + '.staging';
  await writeFile(staging, text);
  return {
    commit: async () => { await rename(staging, dest); },
    discard: async () => { await unlink(staging); },
  };
}

const staged = await stage('state.json', '{"n":1}');
await staged.commit();
console.log(await readFile('state.json', 'utf8'));
`,
      'esm',
      { expectedBy: ['suggestion rewriteToHelperForReview', 'suggestion addFlush'] },
    );
  });

  it('CommonJS, a returned arrow renaming a temp written with writeFileSync', () => {
    expectFixesPreserveBehaviour(
      `const fs = require('fs');

function prepare(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  return () => fs.renameSync(tmp, file);
}

const commit = prepare('state.json', '{"n":2}');
commit();
console.log(fs.readFileSync('state.json', 'utf8'));
`,
      'cjs',
      { expectedBy: ['suggestion addFlush'] },
    );
  });
});
