/**
 * A write stream renamed before it closes ('finish', `end(cb)`): `flush: true` would fsync at the
 * close, after the rename, so it fixes nothing there. Whatever the rule and the codemod offer for such
 * a program must, when run, fsync the data before the rename (the tracer sees no unsynced rename),
 * behave as the original did, and leave the rule with nothing to report.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createFixOracle } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour } = createFixOracle('rename-before-close');
afterAll(() => scratch.dispose());

describe('a stream renamed before its close: every offered fix makes the run durable', () => {
  it("ESM, renamed in the 'finish' listener", () => {
    const { versions } = expectFixesPreserveBehaviour(
      `import fs from 'node:fs';
import { Readable } from 'node:stream';

function save(file, text, done) {
  const out = fs.createWriteStream(file + '.part');
  Readable.from([text]).pipe(out);
  out.on('finish', () => fs.rename(file + '.part', file, done));
}

save('state.json', '{"n":1}', (err) => {
  if (err) throw err;
  console.log(fs.readFileSync('state.json', 'utf8'));
});
`,
      'esm',
      { expectedBy: ['suggestion fsyncBeforeRename'] },
    );
    expect(versions.map((v) => v.by)).not.toContain('suggestion addFlush');
  });

  it('CommonJS, renamed in the callback of end()', () => {
    const { versions } = expectFixesPreserveBehaviour(
      `const fs = require('fs');

function save(file, lines, done) {
  const out = fs.createWriteStream(file + '.tmp');
  for (const line of lines) out.write(line + '\\n');
  out.end(() => {
    fs.rename(file + '.tmp', file, done);
  });
}

save('log.txt', ['a', 'b', 'c'], (err) => {
  if (err) throw err;
  console.log(fs.readFileSync('log.txt', 'utf8').split('\\n').length);
});
`,
      'cjs',
      { expectedBy: ['suggestion fsyncBeforeRename'] },
    );
    expect(versions.map((v) => v.by)).not.toContain('suggestion addFlush');
  });
});
