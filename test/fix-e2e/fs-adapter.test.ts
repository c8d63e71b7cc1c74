/**
 * A project's own fs adapter (`export const open = promisify(fs.open)` and its siblings): the program
 * opens, writes and closes the temp through it and renames it over the target. Whatever the rule and
 * the codemod offer must, when run, fsync the data before the rename (the tracer sees no unsynced
 * rename), behave as the original did, and import nothing the adapter does not export.
 */
import { afterAll, describe, it } from 'vitest';
import { createFixOracle } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour } = createFixOracle('fs-adapter');
afterAll(() => scratch.dispose());

const adapter = `import fs from 'node:fs';
import { promisify } from 'node:util';

export const open = promisify(fs.open);
export const write = promisify(fs.write);
export const close = promisify(fs.close);
export const rename = promisify(fs.rename);
`;

describe('writes through an fs adapter of the project: every offered fix is durable', () => {
  it("ESM, the adapter's open, write, close and rename, awaited", () => {
    expectFixesPreserveBehaviour(
      `import { readFileSync } from 'node:fs';
import { open, write, close, rename } from './fs-adapter.mjs';

async function save(file, data) {
  const fd = await open(file + '.tmp', 'w');
  await write(fd, data);
  await close(fd);
  await rename(file + '.tmp', file);
}

await save('state.json', '{"n":3}');
console.log(readFileSync('state.json', 'utf8'));
`,
      'esm',
      { expectedBy: [], beside: { 'fs-adapter.mjs': adapter } },
    );
  });
});
