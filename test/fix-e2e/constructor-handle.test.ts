/**
 * An object whose constructor opens the file it is given (`this.fd = openSync(file, 'w')`) and whose
 * methods write through that descriptor: the write is in a method, the rename in the caller. Whatever
 * the rule and the codemod offer must, when run, fsync the data before the rename (the tracer sees no
 * unsynced rename) and behave as the original did.
 */
import { afterAll, describe, it } from 'vitest';
import { createFixOracle } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour } = createFixOracle('constructor-handle');
afterAll(() => scratch.dispose());

describe('a writer object opened on the temp by its constructor: every offered fix is durable', () => {
  it('CommonJS, writeSync through the descriptor, closeSync, then renameSync', () => {
    expectFixesPreserveBehaviour(
      `const fs = require('fs');

class Writer {
  constructor(file) {
    this.fd = fs.openSync(file, 'w');
  }
  write(chunk) {
    fs.writeSync(this.fd, chunk);
  }
  close() {
    fs.closeSync(this.fd);
  }
}

function save(dest, chunks) {
  const tmp = dest + '.tmp';
  const w = new Writer(tmp);
  for (const c of chunks) w.write(c);
  w.close();
  fs.renameSync(tmp, dest);
}

save('state.json', ['{"n":', '3}']);
console.log(fs.readFileSync('state.json', 'utf8'));
`,
      'cjs',
      { expectedBy: ['suggestion fsyncBeforeRename'] },
    );
  });
});
