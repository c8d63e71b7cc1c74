import { describe, expect, it } from 'vitest';
import { Tracker } from '../../src/trace/tracker.js';
import { MAX_TRACKED } from '../../src/trace/unsynced-files.js';

/** A stack as V8 would print it, with one frame in the user's code. */
const at = (line: number) => () => ({ stack: `Error\n    at save (/app/src/save.js:${line}:5)` });
const targets = (tracker: Tracker, rule = 'unsynced-rename') =>
  tracker
    .findings()
    .filter((finding) => finding.rule === rule)
    .flatMap((finding) => finding.renames.map((rename) => rename.to));

describe('Tracker', () => {
  it('a descriptor stands for the path it was opened with, until closed; a reused number is a new file', () => {
    const tracker = new Tracker();
    tracker.opened(7, '/d/a.tmp', false);
    tracker.wrote(7, at(1));
    tracker.closed(7);
    tracker.opened(7, '/d/b.tmp', false);
    tracker.synced(7); // syncs b.tmp, not a.tmp
    tracker.renaming('/d/a.tmp', '/d/a', at(2))?.();
    tracker.renaming('/d/b.tmp', '/d/b', at(3))?.();
    expect(targets(tracker)).toEqual(['/d/a']);
  });

  it('writes through an O_SYNC descriptor are durable; relative paths and URLs name the same file', () => {
    const tracker = new Tracker();
    tracker.opened(3, '/d/s.tmp', true);
    tracker.wrote(3, at(1));
    tracker.renaming('/d/s.tmp', '/d/s', at(2))?.();
    tracker.wrote(new URL('file:///d/u.tmp'), at(3));
    tracker.synced('/d/u.tmp');
    tracker.renaming('/d/u.tmp', '/d/u', at(4))?.();
    expect(tracker.findings()).toEqual([]);
  });

  it('a failed rename (commit never called) is not a finding; unsynced data moves with a rename', () => {
    const tracker = new Tracker();
    tracker.wrote('/d/x.tmp', at(1));
    tracker.renaming('/d/x.tmp', '/d/x', at(2)); // failed: not committed
    tracker.renaming('/d/x.tmp', '/d/y', at(3))?.();
    tracker.renaming('/d/y', '/d/z', at(4))?.();
    expect(targets(tracker)).toEqual(['/d/y', '/d/z']);
  });

  it('directory fsync: only a sync of the destination directory after the rename clears the warning', () => {
    const tracker = new Tracker({ directories: true });
    tracker.synced('/d'); // before the rename: does not count
    tracker.renaming('/d/a.tmp', '/d/a', at(1))?.();
    tracker.renaming('/e/b.tmp', '/e/b', at(2))?.();
    tracker.opened(9, '/e', false);
    tracker.synced(9);
    expect(targets(tracker, 'rename-without-directory-sync')).toEqual(['/d/a']);
  });

  it('the same write and rename sites are one finding with a count', () => {
    const tracker = new Tracker();
    for (let i = 0; i < 3; i += 1) {
      tracker.wrote(`/d/${i}.tmp`, at(1));
      tracker.renaming(`/d/${i}.tmp`, `/d/${i}`, at(2))?.();
    }
    const [finding, ...rest] = tracker.findings();
    expect(rest).toEqual([]);
    expect(finding?.count).toBe(3);
    expect(finding?.write?.site).toEqual({ file: '/app/src/save.js', line: 1, column: 5, function: 'save' });
  });
});

describe('Tracker: directories renamed into place', () => {
  it('a directory holding an unsynced file is an unsynced rename; its files move with it', () => {
    const tracker = new Tracker();
    tracker.wrote('/pkg.tmp/lib/index.js', at(1));
    tracker.wrote('/pkg.tmp/package.json', at(2));
    tracker.synced('/pkg.tmp/package.json');
    tracker.wrote('/other/file', at(3));
    tracker.renaming('/pkg.tmp', '/pkg', at(4))?.();
    tracker.renaming('/pkg/lib/index.js', '/pkg/lib/main.js', at(5))?.(); // still unsynced, now under /pkg
    tracker.synced('/pkg/lib/main.js');
    tracker.renaming('/pkg', '/pkg2', at(6))?.(); // nothing unsynced left inside
    tracker.renaming('/pkg.tm', '/x', at(7))?.(); // a prefix of a name is not a parent
    expect(targets(tracker)).toEqual(['/pkg', '/pkg/lib/main.js']);
  });
});

describe('Tracker memory', () => {
  it(`keeps at most ${MAX_TRACKED} unsynced paths: the oldest are forgotten (missed, never misreported)`, () => {
    const tracker = new Tracker();
    for (let i = 0; i <= MAX_TRACKED; i += 1) tracker.wrote(`/out/${i}.js`, at(1));
    tracker.renaming('/out/0.js', '/out/zero.js', at(2))?.();
    tracker.renaming(`/out/${MAX_TRACKED}.js`, '/out/last.js', at(3))?.();
    expect(targets(tracker)).toEqual(['/out/last.js']);
  });
});
