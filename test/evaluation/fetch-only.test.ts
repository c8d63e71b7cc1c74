import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linter } from 'eslint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPackageFiles } from '../../scripts/lib/evaluate-npm-set.js';

// The manifest check of `evaluate.js --fetch-only`, on an unpacked package this test writes.
describe('checkPackageFiles (evaluate.js --fetch-only)', () => {
  let dir: string;
  const linter = new Linter({ configType: 'flat' });
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  type Label = { file: string; line: number; code: string; reportAt?: Array<number | { file: string; line: number }> };
  const check = (pkg: { files: string[]; sourceType: string }, labels: Label[] = []) =>
    checkPackageFiles({ dir, pkg: { name: 'pkg', ...pkg }, labels: labels.map((l) => ({ package: 'pkg', ...l })), linter });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fetch-only-'));
    write('package.json', JSON.stringify({ name: 'pkg', type: 'module' }));
    write('dist/index.js', "import fs from 'node:fs';\n\n  fs.renameSync(a, b);\n");
    write('dist/legacy.cjs', "const fs = require('fs');\nfs.renameSync(a, b);\n");
    write('cjs/package.json', JSON.stringify({ type: 'commonjs' }));
    write('cjs/index.js', "const fs = require('fs');\nfs.renameSync(a, b);\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts files listed with the sourceType Node loads them with, and labels that match their lines', () => {
    expect(check({ files: ['dist/index.js'], sourceType: 'module' }, [{ file: 'dist/index.js', line: 3, code: 'fs.renameSync(a, b);' }])).toEqual([]);
    expect(check({ files: ['dist/legacy.cjs', 'cjs/index.js'], sourceType: 'commonjs' })).toEqual([]);
  });

  it("reports an ES module listed as commonjs: Node's type and the parse error", () => {
    const problems = check({ files: ['dist/index.js'], sourceType: 'commonjs' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe('pkg dist/index.js: listed as commonjs, Node loads it as module');
    expect(problems[1]).toMatch(/^pkg dist\/index\.js:1:1 does not parse: .*sourceType: module/);
  });

  it('reports a CommonJS file listed as module (it parses, but Node would not load it so)', () => {
    expect(check({ files: ['cjs/index.js'], sourceType: 'module' })).toEqual([
      'pkg cjs/index.js: listed as module, Node loads it as commonjs',
    ]);
  });

  it('reports a label whose line does not hold its code', () => {
    expect(check({ files: ['dist/index.js'], sourceType: 'module' }, [{ file: 'dist/index.js', line: 2, code: 'fs.renameSync(a, b);' }])).toEqual([
      'pkg dist/index.js:2: the line does not hold the labelled code',
    ]);
  });

  it('reports a reportAt entry in a file the package does not list', () => {
    const label = { file: 'dist/legacy.cjs', line: 2, code: 'fs.renameSync(a, b);' };
    const files = ['dist/legacy.cjs', 'cjs/index.js'];
    expect(check({ files, sourceType: 'commonjs' }, [{ ...label, reportAt: [2, { file: 'cjs/index.js', line: 2 }] }])).toEqual([]);
    expect(check({ files, sourceType: 'commonjs' }, [{ ...label, reportAt: [2, { file: 'lib/other.js', line: 9 }] }])).toEqual([
      'pkg dist/legacy.cjs:2: reportAt names lib/other.js, which is not a listed file',
    ]);
  });
});
