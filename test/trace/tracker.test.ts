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
    tracker.opened(7, '/d/a.tmp', { durable: false });
    tracker.wrote(7, at(1));
    tracker.closed(7);
    tracker.opened(7, '/d/b.tmp', { durable: false });
    tracker.synced(7); // syncs b.tmp, not a.tmp
    tracker.renaming('/d/a.tmp', '/d/a', at(2))?.();
    tracker.renaming('/d/b.tmp', '/d/b', at(3))?.();
    expect(targets(tracker)).toEqual(['/d/a']);
  });

  it('writes through an O_SYNC descriptor are durable; relative paths and URLs name the same file', () => {
    const tracker = new Tracker();
    tracker.opened(3, '/d/s.tmp', { durable: true });
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
    tracker.opened(9, '/e', { durable: false });
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

/** A stack as V8 prints it: frames innermost first. */
const stack =
  (...frames: string[]) =>
  () => ({ stack: ['Error', ...frames.map((frame) => `    at ${frame}`)].join('\n') });

describe('Tracker: which write, which culprit, how many findings', () => {
  it('"written at" is the write whose data was renamed: a whole-file write or a truncating open starts it again', () => {
    const tracker = new Tracker();
    tracker.wrote('/d/a.tmp', at(1)); // a fixture's earlier content
    tracker.wrote('/d/a.tmp', at(2), true); // writeFile: the data renamed below
    tracker.wrote('/d/a.tmp', at(3)); // an append to it
    tracker.renaming('/d/a.tmp', '/d/a', at(9))?.();
    tracker.wrote('/d/b.tmp', at(4));
    tracker.opened(5, '/d/b.tmp', { durable: false, truncates: true });
    tracker.wrote(5, at(5));
    tracker.renaming('/d/b.tmp', '/d/b', at(9))?.();
    expect(tracker.findings().map((finding) => finding.write?.site?.line)).toEqual([2, 5]);
  });

  it('a write with no user frame (queued by a stream, flushed from the open callback) is shown at the open', () => {
    const tracker = new Tracker();
    tracker.opened(4, '/d/s.tmp', {
      durable: false,
      site: stack('WriteStream (/app/node_modules/fs-minipass/index.js:10:3)', 'save (/app/src/save.js:7:9)')(),
    });
    tracker.wrote(
      4,
      stack(
        'WriteStream.write (/app/node_modules/fs-minipass/index.js:20:5)',
        'onopen (/app/node_modules/fs-minipass/index.js:30:5)',
      ),
    );
    tracker.renaming('/d/s.tmp', '/d/s', at(9))?.();
    const [finding] = tracker.findings();
    expect(finding?.write?.site).toMatchObject({ file: '/app/src/save.js', line: 7 });
  });

  it('the culprit is the innermost package that is not an fs layer, with the packages that called it', () => {
    const tracker = new Tracker();
    tracker.wrote(
      '/d/c.tmp',
      stack(
        'Object.writeFileSync (/app/node_modules/graceful-fs/graceful-fs.js:5:1)',
        'writeFileSync (/app/node_modules/write-file-atomic/lib/index.js:40:7)',
        'ScriptTransformer.write (/app/node_modules/@jest/transform/build/index.js:90:3)',
        'Runtime.requireModule (/app/node_modules/jest-runtime/build/index.js:300:9)',
        'Object.<anonymous> (/app/test/a.test.js:1:1)',
      ),
    );
    tracker.renaming('/d/c.tmp', '/d/c', at(9))?.();
    const [finding] = tracker.findings();
    expect(finding?.write?.package).toEqual({
      name: 'write-file-atomic',
      site: {
        file: '/app/node_modules/write-file-atomic/lib/index.js',
        line: 40,
        column: 7,
        function: 'writeFileSync',
      },
    });
    expect(finding?.write?.via?.map((frame) => frame.name)).toEqual(['@jest/transform', 'jest-runtime']);
    expect(finding?.write?.site?.file).toBe('/app/test/a.test.js');
  });

  it('one finding per (write site, rename site): the same package lines reached from five user lines count five times', () => {
    const tracker = new Tracker();
    for (let line = 1; line <= 5; line += 1) {
      const from = (pkgLine: number) =>
        stack(`Writer.write (/app/node_modules/steno/lib/index.js:${pkgLine}:5)`, `main (/app/src/db.js:${line}:3)`);
      tracker.wrote(`/d/${line}.tmp`, from(30));
      tracker.renaming(`/d/${line}.tmp`, `/d/${line}`, from(31))?.();
    }
    const findings = tracker.findings();
    expect(findings.map((finding) => finding.count)).toEqual([5]);
  });
});
