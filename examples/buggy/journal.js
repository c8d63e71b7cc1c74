// The fsync is there, but only on one branch.
import fs from 'node:fs';

export function writeJournal(file, lines, { durable = false } = {}) {
  const tmp = file + '.tmp';
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, lines.join('\n'));
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
