/**
 * A FileHandle's `writeFile`/`appendFile` ignore `flush: true` (strace, Node 20.20: open, write, close;
 * only `fs.promises.writeFile(path, d, { flush: true })` fsyncs), so adding it fixes nothing. Whatever
 * the rule and the codemod offer for such a program must, when run, fsync the data before the rename
 * (the tracer sees no unsynced rename), behave as the original did, and leave nothing to report.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createFixOracle } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour } = createFixOracle('filehandle-write-file');
afterAll(() => scratch.dispose());

describe("a FileHandle's writeFile renamed into place: every offered fix makes the run durable", () => {
  it('ESM, written through the handle, closed, then renamed', () => {
    const { versions } = expectFixesPreserveBehaviour(
      `import fs from 'node:fs/promises';

async function save(file, text) {
  const handle = await fs.open(file + '.tmp', 'w');
  await handle.writeFile(text);
  await handle.close();
  await fs.rename(file + '.tmp', file);
}

await save('state.json', '{"n":1}');
console.log(await fs.readFile('state.json', 'utf8'));
`,
      'esm',
      { expectedBy: ['suggestion fsyncBeforeClose'] },
    );
    expect(versions.map((v) => v.by)).not.toContain('suggestion addFlush');
  });

  it('ESM, the handle closed in a finally, the rename in a .then chain', () => {
    const { versions } = expectFixesPreserveBehaviour(
      `import fs from 'node:fs/promises';

const handle = await fs.open('state.json.tmp', 'w');
try {
  await handle.writeFile('{"n":1}');
} finally {
  await handle.close();
}
await fs.rename('state.json.tmp', 'state.json').then(() => console.log('saved'));
console.log(await fs.readFile('state.json', 'utf8'));
`,
      'esm',
      { expectedBy: ['suggestion fsyncBeforeClose'] },
    );
    expect(versions.map((v) => v.by)).not.toContain('suggestion addFlush');
  });
});
