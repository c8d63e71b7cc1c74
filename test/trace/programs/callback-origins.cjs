/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS program, on purpose */
// Saves whose fs calls run in callbacks, so their own stacks hold no line of this file. argv: dir variant
// `chain`: a dependency (node_modules/callback-saver, made by the test) doing open → write → close
// → rename, each in the last one's callback. `write-file-atomic-callback`: write-file-atomic 7's
// callback form with fsync: false, which awaits before its first fs call.
const { join } = require('node:path');

const [dir, variant] = process.argv.slice(2);
const file = join(dir, `${variant}.json`);
const done = (error) => {
  if (error) throw error;
  console.log('saved');
};

if (variant === 'chain') {
  const save = require(join(dir, 'node_modules/callback-saver'));
  save(file, '{"a":1}', done); // SAVE_LINE: chain
} else {
  const writeFileAtomic = require('write-file-atomic');
  writeFileAtomic(file, '{"a":1}', { fsync: false }, done); // SAVE_LINE: write-file-atomic-callback
}
