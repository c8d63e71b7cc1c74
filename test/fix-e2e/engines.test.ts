/**
 * Node.js < 20.10 ignores `flush: true` without an error: in a package whose `engines.node` admits
 * such a version, or a published one that declares none, the in-place fix fsyncs the file explicitly
 * before the rename. Each program runs
 * before and after every fix (execution is the oracle).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { straceUnavailableReason } from '../durable/crash/strace-trace.js';
import { flushPolicyOf, mayRunWithoutFlush, nearestManifest, raisedNodeFloor } from '../../src/project.js';
import { createFixOracle, fixedBy } from './fix-oracle.js';

const { scratch, expectFixesPreserveBehaviour, durabilityEvents } = createFixOracle('engines');
afterAll(() => scratch.dispose());

const program = `const fs = require('fs');

function save(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data, 'utf8');
  fs.renameSync(tmp, file);
}

save('out.json', 'payload');
console.log(fs.readFileSync('out.json', 'utf8'));
`;

// No runtime in `dependencies`: the autofix is the in-place one.
const manifestWith = (node: string | undefined): Record<string, unknown> => ({
  name: 'p',
  private: true,
  type: 'commonjs',
  ...(node ? { engines: { node } } : {}),
});

describe('the in-place autofix follows engines.node', () => {
  for (const node of ['>=18', '^16.14 || >=18', '>=20.9']) {
    it(`engines.node "${node}": an explicit fsync before the rename, no flush: true`, () => {
      const { versions } = expectFixesPreserveBehaviour(program, 'cjs', {
        expectedBy: ['eslint --fix'],
        manifest: manifestWith(node),
      });
      const fixed = fixedBy(versions, 'eslint --fix');
      expect(fixed).toContain('fs.fsyncSync(fd);');
      expect(fixed).not.toContain('flush');
      for (const version of versions)
        expect({ by: version.by, flush: version.text.includes('flush: true') }).toEqual({
          by: version.by,
          flush: false,
        });
    });
  }

  for (const node of ['>=20.19', '^20.10 || >=22', undefined]) {
    it(`engines.node ${node === undefined ? 'absent' : `"${node}"`}: flush: true`, () => {
      const { versions } = expectFixesPreserveBehaviour(program, 'cjs', {
        expectedBy: ['eslint --fix'],
        manifest: manifestWith(node),
      });
      expect(fixedBy(versions, 'eslint --fix')).toContain(
        "fs.writeFileSync(tmp, data, { encoding: 'utf8', flush: true });",
      );
    });
  }
});

describe('a package without engines.node', () => {
  it('published (no "private": true): an explicit fsync before the rename, since its users pick their Node.js', () => {
    const { versions } = expectFixesPreserveBehaviour(program, 'cjs', {
      expectedBy: ['eslint --fix'],
      manifest: { name: 'p', type: 'commonjs' },
    });
    const fixed = fixedBy(versions, 'eslint --fix');
    expect(fixed).toContain('fs.fsyncSync(fd);');
    expect(fixed).not.toContain('flush');
  });

  it('says why, for the fix summary', () => {
    const dir = scratch.packageDir('cjs');
    const why = (manifest: Record<string, unknown>, sub: string): ReturnType<typeof flushPolicyOf> => {
      mkdirSync(`${dir}/${sub}`);
      writeFileSync(`${dir}/${sub}/package.json`, JSON.stringify(manifest));
      return flushPolicyOf(`${dir}/${sub}/index.js`);
    };
    expect(why({ name: 'lokijs' }, 'published')).toEqual({
      fsync: true,
      why: 'a published package that declares no engines.node: its users may run Node.js < 20.10, which ignores flush: true',
    });
    expect(why({ name: 'app', private: true }, 'private')).toEqual({
      fsync: false,
      why: 'a private package that declares no engines.node: flush: true assumes Node.js >= 20.10 (declare engines.node to change it)',
    });
    expect(why({ name: 'lib', engines: { node: '>=18' } }, 'declared')).toEqual({
      fsync: true,
      why: 'engines.node ">=18" admits Node.js < 20.10, which ignores flush: true',
    });
  });
});

describe('an ES5 file (LokiJS: var, no block scope)', () => {
  // The same program in ES5: `var` only.
  const es5 = program.replaceAll('const ', 'var ');

  it('the explicit fsync stands alone under a name free in the function: no block that scopes nothing', () => {
    const { versions } = expectFixesPreserveBehaviour(es5, 'cjs', {
      expectedBy: ['eslint --fix'],
      manifest: { name: 'p', type: 'commonjs' },
    });
    const linter = new Linter({ configType: 'flat' });
    const config: Linter.Config[] = [
      {
        languageOptions: {
          ecmaVersion: 5,
          sourceType: 'script',
          globals: { require: 'readonly', process: 'readonly', console: 'readonly' },
        },
        // standard's no-lone-blocks, and the redeclaration a second `var fd` would be.
        rules: { 'no-lone-blocks': 'error', 'no-redeclare': 'error', 'no-undef': 'error' },
      },
    ];
    // The codemod's default is the helper rewrite; the in-place fixes are the rule's.
    const inPlace = versions.filter((v) => v.by !== 'codemod');
    expect(inPlace.length).toBeGreaterThan(0);
    for (const version of inPlace) {
      expect({ by: version.by, var: version.text.includes("var fd = fs.openSync(tmp, 'r+');") }).toEqual({
        by: version.by,
        var: true,
      });
      expect({ by: version.by, problems: linter.verify(version.text, config).map((m) => m.ruleId) }).toEqual({
        by: version.by,
        problems: [],
      });
    }
    if (straceUnavailableReason()) return;
    expect(durabilityEvents(fixedBy(versions, 'eslint --fix'), 'cjs')).toEqual([
      'fsync out.json.tmp',
      'rename out.json.tmp → out.json',
      'fsync .',
    ]);
  });
});

describe('the suggestions follow engines.node too', () => {
  // No autofix here (the rename is returned, not awaited alike): only suggestions, and none of them
  // may rely on a flag that Node 18 ignores.
  const returned = `import { readFile, rename, writeFile } from 'node:fs/promises';

export async function save(file, data) {
  await writeFile(file + '.tmp', data);
  return rename(file + '.tmp', file);
}

await save('out.json', 'payload');
console.log(await readFile('out.json', 'utf8'));
`;

  it('engines.node ">=18": every suggestion fsyncs explicitly, none adds flush: true', () => {
    const { versions } = expectFixesPreserveBehaviour(returned, 'esm', {
      expectedBy: [],
      manifest: { name: 'p', private: true, type: 'module', engines: { node: '>=18' } },
    });
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions)
      expect({ by: version.by, flush: version.text.includes('flush') }).toEqual({ by: version.by, flush: false });
  });

  it('engines.node ">=20.19": the same program gets the flush: true suggestion', () => {
    const { versions } = expectFixesPreserveBehaviour(returned, 'esm', {
      expectedBy: ['suggestion addFlushAndDirectorySync'],
      manifest: { name: 'p', private: true, type: 'module', engines: { node: '>=20.19' } },
    });
    expect(fixedBy(versions, 'suggestion addFlushAndDirectorySync')).toContain(
      "await writeFile(file + '.tmp', data, { flush: true });",
    );
  });
});

describe('ranges, read by semver', () => {
  it('a package admits a Node.js without flush unless every version it admits is >= 20.10', () => {
    const dir = scratch.packageDir('cjs');
    const cases: [string, boolean][] = [
      ['>=18', true],
      ['18 || 20 || 22', true],
      ['>=20.10.0', false],
      ['^20.19.0 || >=22.12.0', false],
      ['not a range', false],
    ];
    const results = cases.map(([node], i) => {
      const sub = `${dir}/c${i}`;
      mkdirSync(sub);
      writeFileSync(`${sub}/package.json`, JSON.stringify(manifestWith(node)));
      return [node, mayRunWithoutFlush(`${sub}/index.js`)];
    });
    expect(results).toEqual(cases);
  });

  it('an istanbul coverage gate: tap 15 to 17 (unless check-coverage is off), nyc with check-coverage, jest thresholds', () => {
    const dir = scratch.packageDir('cjs');
    const cases: [Record<string, unknown>, boolean][] = [
      [{ devDependencies: { tap: '^16.0.0' } }, true],
      [{ devDependencies: { tap: '^16.0.0' }, tap: { 'check-coverage': false } }, false],
      [{ devDependencies: { tap: '^18.0.0' } }, false],
      // fs-write-stream-atomic: tap 2 checks no coverage unless told to.
      [{ devDependencies: { tap: '^2.3.1' } }, false],
      [{ devDependencies: { tap: 'github:tapjs/tap' } }, false],
      [{ devDependencies: { nyc: '^15.0.0' }, nyc: { 'check-coverage': true } }, true],
      [{ devDependencies: { nyc: '^15.0.0' } }, false],
      [{ devDependencies: { c8: '^10.0.0' } }, false],
      [{ jest: { coverageThreshold: { global: { branches: 100 } } } }, true],
      [{ jest: { coverageThreshold: { global: { branches: 100 } }, coverageProvider: 'v8' } }, false],
    ];
    const results = cases.map(([manifest], i) => {
      const sub = `${dir}/g${i}`;
      mkdirSync(sub);
      writeFileSync(`${sub}/package.json`, JSON.stringify({ name: 'p', ...manifest }));
      return [manifest, nearestManifest(`${sub}/index.js`)?.istanbulCoverageGate];
    });
    expect(results).toEqual(cases);
  });

  it('names the floor a dependency raises', () => {
    expect(raisedNodeFloor('>=18', '>=20.19')).toBe('Node.js >=20.19 (the project declares engines.node ">=18")');
    expect(raisedNodeFloor('^20.19 || >=22', '>=20.19')).toBeUndefined();
    expect(raisedNodeFloor(undefined, '>=20.19')).toBeUndefined();
  });
});
