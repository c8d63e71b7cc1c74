/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS program, on purpose */
// A save through a write stream not made by fs.createWriteStream, then a rename without fsync. argv: dir variant
const fs = require('node:fs');
const gracefulFs = require('graceful-fs');
const { join } = require('node:path');

const [dir, variant] = process.argv.slice(2);
const temp = join(dir, `${variant}.tmp`);
const streams = {
  'graceful-fs': () => gracefulFs.createWriteStream(temp), // STREAM_LINE: graceful-fs
  'graceful-fs WriteStream': () => gracefulFs.WriteStream(temp), // STREAM_LINE: graceful-fs WriteStream
  'new fs.WriteStream': () => new fs.WriteStream(temp), // STREAM_LINE: new fs.WriteStream
};
const stream = streams[variant]();
stream.end('data', () => {
  fs.renameSync(temp, join(dir, `${variant}.json`));
  console.log(stream instanceof fs.WriteStream, stream instanceof require('node:stream').Writable);
});
