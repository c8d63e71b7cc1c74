import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isSyncOpenFlag } from '../../src/fs-api.js';
import { isDurableFlag } from '../../src/trace/install.js';
import { formatText, mergeReports, toSarif, type TraceReport } from '../../src/trace/report.js';
import { packageNameOf } from '../../src/trace/sites.js';
import type { TraceFinding } from '../../src/trace/tracker.js';
import { register } from './support.js';

const site = (file: string, line: number) => ({ file, line, column: 3 });
const finding = (line: number, count: number, to: string, packageName?: string): TraceFinding => ({
  rule: 'unsynced-rename',
  write: {
    site: site('/app/src/save.ts', line),
    ...(packageName
      ? { package: { name: packageName, site: site(`/app/node_modules/${packageName}/index.js`, 9) } }
      : {}),
  },
  rename: { site: site('/app/src/save.ts', line + 1) },
  count,
  renames: [{ from: `${to}.tmp`, to }],
});
const report = (pid: number, findings: TraceFinding[]): TraceReport => ({
  version: 1,
  pid,
  threadId: 0,
  argv: [],
  findings,
});

describe('trace reports', () => {
  it('merges the processes of a run: same sites counted once, counts added, distinct sites kept', () => {
    const merged = mergeReports([
      report(1, [finding(10, 2, '/app/a')]),
      report(2, [finding(10, 3, '/app/b'), finding(20, 1, '/app/c')]),
    ]);
    expect(merged.map((f) => [f.write?.site?.line, f.count, f.renames.map((r) => r.to)])).toEqual([
      [10, 5, ['/app/a', '/app/b']],
      [20, 1, ['/app/c']],
    ]);
  });

  it('text: rename and write sites relative to the working directory, the package, the count', () => {
    const text = formatText([finding(10, 2, '/app/data.json', 'steno')], '/app');
    expect(text).toContain('unsynced-rename (2 times)');
    expect(text).toContain('renamed at  src/save.ts:11:3');
    expect(text).toContain('written at  src/save.ts:10:3, inside steno (node_modules/steno/index.js:9:3)');
    expect(text).toContain('e.g. data.json.tmp → data.json');
    expect(formatText([], '/app')).toBe('durable-write trace: no unsynced rename.\n');
  });

  it('SARIF 2.1.0: the rename as location, the write and the package frame as related locations', () => {
    const sarif = toSarif([finding(10, 2, '/app/data.json', 'steno')], '1.2.3', '/app') as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: Record<string, unknown>[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual([
      'unsynced-rename',
      'rename-without-directory-sync',
    ]);
    expect(sarif.runs[0]!.results[0]).toMatchObject({
      ruleId: 'unsynced-rename',
      level: 'error',
      occurrenceCount: 2,
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'src/save.ts' }, region: { startLine: 11, startColumn: 3 } } },
      ],
      relatedLocations: [
        { id: 0, message: { text: 'data written here' }, physicalLocation: { region: { startLine: 10 } } },
        {
          id: 1,
          message: { text: 'write inside steno' },
          physicalLocation: { artifactLocation: { uri: 'node_modules/steno/index.js' } },
        },
      ],
    });
  });

  it('SARIF URIs are URI references: spaces, non-ASCII, # and ? percent-encoded, inside and outside the working directory', () => {
    const at = (file: string): TraceFinding => ({
      rule: 'unsynced-rename',
      rename: { site: site(file, 1) },
      count: 1,
      renames: [],
    });
    const sarif = toSarif([at('/app/my src/naïve #1.ts'), at('/elsewhere/dätä dir/x?.js')], '1.2.3', '/app') as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = sarif.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['my%20src/na%C3%AFve%20%231.ts', 'file:///elsewhere/d%C3%A4t%C3%A4%20dir/x%3F.js']);
  });

  it('text: the dependency that made the call, and the packages that called it', () => {
    const called: TraceFinding = {
      ...finding(10, 1, '/app/x', 'write-file-atomic'),
      write: {
        site: site('/app/test/a.test.js', 1),
        package: { name: 'write-file-atomic', site: site('/app/node_modules/write-file-atomic/lib/index.js', 40) },
        via: [{ name: '@jest/transform', site: site('/app/node_modules/@jest/transform/build/index.js', 90) }],
      },
    };
    expect(formatText([called], '/app')).toContain(
      'written at  test/a.test.js:1:3, inside write-file-atomic (node_modules/write-file-atomic/lib/index.js:40:3), called from @jest/transform (node_modules/@jest/transform/build/index.js:90:3)',
    );
  });

  it('package names: scoped, nested and pnpm layouts', () => {
    expect(packageNameOf('/a/node_modules/steno/lib/index.js')).toBe('steno');
    expect(packageNameOf('/a/node_modules/@npmcli/fs/lib/x.js')).toBe('@npmcli/fs');
    expect(packageNameOf('/a/node_modules/.pnpm/lowdb@7.0.1/node_modules/lowdb/lib/a.js')).toBe('lowdb');
    expect(packageNameOf('/a/src/index.js')).toBeUndefined();
  });
});

describe('the tracer and the fs API table agree', () => {
  it('every write (truncate included), rename, sync, open and close of fs, fs/promises and FileHandle is wrapped', () => {
    const probe = `
      import fs from 'node:fs';
      const wrapped = (o) => Object.keys(o).filter((k) => typeof o[k] === 'function' && Symbol.for('durable-write.trace.original') in o[k]);
      const handle = await fs.promises.open(process.execPath, 'r');
      const methods = new Set([...Object.getOwnPropertyNames(Object.getPrototypeOf(handle)), ...Object.keys(handle)]);
      const handleWrapped = [...methods].filter((k) => typeof handle[k] === 'function' && Symbol.for('durable-write.trace.original') in handle[k]);
      await handle.close();
      console.log(JSON.stringify({ fs: wrapped(fs), promises: wrapped(fs.promises), handle: handleWrapped }));`;
    const run = spawnSync(process.execPath, [`--require=${register}`, '--input-type=module', '-e', probe], {
      encoding: 'utf8',
    });
    const seen = JSON.parse(run.stdout) as { fs: string[]; promises: string[]; handle: string[] };
    const both = (names: string[]) => names.flatMap((name) => [name, `${name}Sync`]);
    // Stream writes reach fs.write/writev (or the handle's write/writev): createWriteStream and the
    // WriteStream constructor (graceful-fs calls it directly) are wrapped for the site of the write.
    const fsNames = both([
      'writeFile',
      'appendFile',
      'write',
      'writev',
      'copyFile',
      // A copy that may be of a directory: a write of its destination.
      'cp',
      'truncate',
      'ftruncate',
      'rename',
      'fsync',
      'fdatasync',
      'open',
      'close',
    ]);
    expect(seen.fs.sort()).toEqual([...fsNames, 'createWriteStream', 'WriteStream'].sort());
    expect(seen.promises.sort()).toEqual(['appendFile', 'copyFile', 'cp', 'open', 'rename', 'truncate', 'writeFile']);
    expect(seen.handle.sort()).toEqual([
      'appendFile',
      'close',
      'datasync',
      'sync',
      'truncate',
      'write',
      'writeFile',
      'writev',
    ]);
  });

  it('open flags: the same ones make writes durable', () => {
    for (const flag of [
      'r',
      'r+',
      'rs+',
      'sr+',
      'w',
      'wx',
      'w+',
      'wx+',
      'a',
      'ax',
      'as',
      'sa',
      'a+',
      'ax+',
      'as+',
      'sa+',
    ]) {
      expect(isDurableFlag(flag), flag).toBe(isSyncOpenFlag(flag));
    }
  });
});
