/**
 * Where a specifier leads for module summaries (src/engine/module-resolution.ts), on projects made here:
 * Node's rules for packages, and a lookup repeated once something it looked at changed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveFrom, specifiersIn } from '../../src/engine/module-resolution.js';

let dir: string;

function write(name: string, text = ''): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-resolution-')));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('resolveFrom', () => {
  it('relative specifiers: as written, with an extension, .js naming a .ts file, a directory index', () => {
    const src = path.join(dir, 'src');
    write('src/a.js');
    write('src/b.ts');
    write('src/c/index.mjs');
    write('src/d.json', '{}');
    expect(resolveFrom('./a.js', src)).toBe(path.join(src, 'a.js'));
    expect(resolveFrom('./a', src)).toBe(path.join(src, 'a.js'));
    expect(resolveFrom('./b.js', src)).toBe(path.join(src, 'b.ts'));
    expect(resolveFrom('./c', src)).toBe(path.join(src, 'c/index.mjs'));
    expect(resolveFrom('./d.json', src)).toBeUndefined();
    expect(resolveFrom('./missing', src)).toBeUndefined();
  });

  it('packages: main without an extension, exports by require then import condition, subpaths, directory mains, scopes', () => {
    write('node_modules/plain/package.json', '{ "main": "lib/entry" }');
    write('node_modules/plain/lib/entry.js');
    write('node_modules/plain/extra.js');
    write(
      'node_modules/dual/package.json',
      '{ "exports": { ".": { "import": "./esm.mjs", "require": "./cjs.cjs" }, "./sub": "./sub/x.js" } }',
    );
    write('node_modules/dual/esm.mjs');
    write('node_modules/dual/cjs.cjs');
    write('node_modules/dual/sub/x.js');
    write('node_modules/dual/hidden.js');
    write(
      'node_modules/sync-esm/package.json',
      '{ "exports": { "module-sync": "./esm.mjs", "require": "./cjs.cjs" } }',
    );
    write('node_modules/sync-esm/esm.mjs');
    write('node_modules/sync-esm/cjs.cjs');
    write('node_modules/esm-only/package.json', '{ "exports": { "import": "./index.mjs" } }');
    write('node_modules/esm-only/index.mjs');
    write('node_modules/bundled/package.json', '{}');
    write('node_modules/bundled/compiled/glob/package.json', '{ "main": "glob.js" }');
    write('node_modules/bundled/compiled/glob/glob.js');
    write('node_modules/bundled/compiled/glob/index.js');
    write('node_modules/@scope/pkg/package.json', '{}');
    write('node_modules/@scope/pkg/index.js');
    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    expect(resolveFrom('plain', app)).toBe(path.join(dir, 'node_modules/plain/lib/entry.js'));
    expect(resolveFrom('plain/extra', app)).toBe(path.join(dir, 'node_modules/plain/extra.js'));
    expect(resolveFrom('dual', app)).toBe(path.join(dir, 'node_modules/dual/cjs.cjs'));
    expect(resolveFrom('dual/sub', app)).toBe(path.join(dir, 'node_modules/dual/sub/x.js'));
    expect(resolveFrom('dual/hidden.js', app)).toBeUndefined();
    expect(resolveFrom('sync-esm', app)).toBe(path.join(dir, 'node_modules/sync-esm/esm.mjs'));
    expect(resolveFrom('esm-only', app)).toBe(path.join(dir, 'node_modules/esm-only/index.mjs'));
    // A directory with a package.json of its own is entered through its main, as Node does.
    expect(resolveFrom('bundled/compiled/glob', app)).toBe(
      path.join(dir, 'node_modules/bundled/compiled/glob/glob.js'),
    );
    expect(resolveFrom('../node_modules/bundled/compiled/glob', app)).toBe(
      path.join(dir, 'node_modules/bundled/compiled/glob/glob.js'),
    );
    expect(resolveFrom('@scope/pkg', app)).toBe(path.join(dir, 'node_modules/@scope/pkg/index.js'));
  });

  it('#imports of the package the file belongs to', () => {
    write('package.json', '{ "imports": { "#store": "./lib/store.js", "#dep": "dep" } }');
    write('lib/store.js');
    write('node_modules/dep/package.json', '{}');
    write('node_modules/dep/index.js');
    expect(resolveFrom('#store', path.join(dir, 'src'))).toBe(path.join(dir, 'lib/store.js'));
    expect(resolveFrom('#dep', dir)).toBe(path.join(dir, 'node_modules/dep/index.js'));
    expect(resolveFrom('#other', dir)).toBeUndefined();
  });

  it('a package linked into node_modules (pnpm) resolves to where it really is', () => {
    write('.pnpm/linked@1.0.0/node_modules/linked/package.json', '{}');
    write('.pnpm/linked@1.0.0/node_modules/linked/index.js');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(
      path.join(dir, '.pnpm/linked@1.0.0/node_modules/linked'),
      path.join(dir, 'node_modules/linked'),
      'dir',
    );
    expect(resolveFrom('linked', dir)).toBe(path.join(dir, '.pnpm/linked@1.0.0/node_modules/linked/index.js'));
  });

  it('a lookup is repeated when a closer node_modules gets the package, or a file it found or missed changes', () => {
    write('node_modules/dep/package.json', '{}');
    write('node_modules/dep/index.js');
    const nested = path.join(dir, 'packages/app');
    fs.mkdirSync(nested, { recursive: true });
    expect(resolveFrom('dep', nested)).toBe(path.join(dir, 'node_modules/dep/index.js'));
    write('packages/app/node_modules/dep/package.json', '{ "main": "main.js" }');
    write('packages/app/node_modules/dep/main.js');
    expect(resolveFrom('dep', nested)).toBe(path.join(nested, 'node_modules/dep/main.js'));
    // As in Node: a package found whose main is missing falls back to its index, not to a farther package.
    fs.rmSync(path.join(nested, 'node_modules/dep/main.js'));
    expect(resolveFrom('dep', nested)).toBeUndefined();
    write('packages/app/node_modules/dep/index.js');
    expect(resolveFrom('dep', nested)).toBe(path.join(nested, 'node_modules/dep/index.js'));
  });
  it("a package's manifest, read once for importers in many directories, is read again once it changes", () => {
    write('node_modules/dep/package.json', '{ "main": "a.js" }');
    write('node_modules/dep/a.js');
    write('node_modules/dep/second.js');
    const [one, two, three] = ['src/one', 'src/two', 'src/three'].map((d) => path.join(dir, d));
    for (const d of [one, two, three]) fs.mkdirSync(d as string, { recursive: true });
    expect(resolveFrom('dep', one as string)).toBe(path.join(dir, 'node_modules/dep/a.js'));
    expect(resolveFrom('dep', two as string)).toBe(path.join(dir, 'node_modules/dep/a.js'));
    write('node_modules/dep/package.json', '{ "main": "second.js" }');
    // A directory that never looked it up, and one whose lookup the edit makes stale.
    expect(resolveFrom('dep', three as string)).toBe(path.join(dir, 'node_modules/dep/second.js'));
    expect(resolveFrom('dep', one as string)).toBe(path.join(dir, 'node_modules/dep/second.js'));
  });
});

describe('specifiersIn', () => {
  it('finds imports, re-exports, requires and dynamic imports, in order', () => {
    const text = [
      "import fs from 'node:fs';",
      'export * from "./all.js";',
      "const { a } = require( './a' );",
      "const m = await import('pkg/sub');",
      "export { b } from '@scope/b'",
    ].join('\n');
    expect(specifiersIn(text)).toEqual(['node:fs', './all.js', './a', 'pkg/sub', '@scope/b']);
  });

  it('a string that looks like the start of one does not swallow the import after it', () => {
    expect(specifiersIn("log('copied from ' + a); const b = require('./b');")).toEqual([
      ' + a); const b = require(',
      './b',
    ]);
    expect(specifiersIn("const s = 'import('; const c = require('./c');")).toEqual(['./c']);
  });

  it('names no specifier for words that only look like the keywords', () => {
    expect(specifiersIn("const from_ = 'x'; myrequire('y'); reimport('z'); x.from('w');")).toEqual([]);
  });
});
