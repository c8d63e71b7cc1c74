import { describe, expect, it } from 'vitest';
import { buildModel, crashStates } from './crash/crash-model.js';
import { parseStraceLog } from './crash/strace-trace.js';

// Two libuv threads, as logged by `strace -f -y` on a loaded machine (a CI run of
// writeFilesDurable): thread 2 closes the directory's descriptor 18, thread 3's open of the temp
// file gets 18 back and is logged before the close is logged as resumed.
const LOG = [
  '2 openat(AT_FDCWD</w>, "/d", O_RDONLY|O_CLOEXEC|O_DIRECTORY <unfinished ...>',
  '2 <... openat resumed>) = 18</d>',
  '2 close(18</d> <unfinished ...>',
  '3 openat(AT_FDCWD</w>, "/d/.second.tmp", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0666) = 18</d/.second.tmp>',
  '2 <... close resumed>) = 0',
  '1 write(18</d/.second.tmp>, "NEW", 3) = 3',
  '3 fsync(18</d/.second.tmp>) = 0',
  '2 close(18</d/.second.tmp>) = 0',
  '3 openat(AT_FDCWD</w>, "/d", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = 18</d>',
  '2 rename("/d/.second.tmp", "/d/second") = 0',
  '1 fsync(18</d>) = 0',
  '3 close(18</d> <unfinished ...>',
  '',
].join('\n');

describe('parseStraceLog', () => {
  it('places a close where it started, so an open that reuses its descriptor comes after it', () => {
    const calls = parseStraceLog(LOG);
    expect(calls.map((call) => `${call.tid} ${call.name}`).slice(0, 4)).toEqual([
      '2 openat',
      '2 close',
      '3 openat',
      '1 write',
    ]);
    // The close that never resumed (the process exited) is left out.
    expect(calls.at(-1)?.name).toBe('fsync');
  });

  it('the write through the reused descriptor lands in the file that was opened, which ends NEW', () => {
    const ops = buildModel(parseStraceLog(LOG), '/d', new Map());
    expect(ops.filter((op) => op.kind === 'data')).toHaveLength(1);
    const points = crashStates(ops, new Map(), new Map(), 'second', {
      old: undefined,
      new: new TextEncoder().encode('NEW'),
    });
    expect(points.at(-1)?.states).toEqual(new Set(['NEW']));
  });
});
