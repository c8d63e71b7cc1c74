/**
 * Rewrites a maintainer would merge: the file keeps its module system (and still loads), its
 * quotes, semicolons and brace spacing; an injected file system is never swapped for the real one;
 * a callback rewrite keeps a throw in the callback an uncaught exception and passes fs's own error.
 * Each case runs the codemod engine on a file inside a throwaway package, then runs the result.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteSource } from '../../codemods/engine.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'durable-write-faithful-'));
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A package with `manifest` and one file; returns the file's path. */
function project(name: string, manifest: Record<string, unknown>, file: string, text: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...manifest }));
  writeFileSync(join(dir, file), text);
  return join(dir, file);
}

const runNode = (cwd: string, script: string): string => execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' });

describe('module system', () => {
  it('a .js file in a CommonJS package that requires fs inside a function gets require, and loads', () => {
    const file = project('cjs-inner', {}, 'store.js', `"use strict"

function save(file, data) {
  const fs = require("fs")
  fs.writeFileSync(file + ".tmp", data)
  fs.renameSync(file + ".tmp", file)
}

module.exports = {save}
`);
    const result = rewriteSource(readFileSync(file, 'utf8'), file);
    expect(result.status).toBe('rewritten');
    expect(result.output).toBe(`"use strict"
const {writeFileDurableSync} = require("durable-write-runtime")

function save(file, data) {
  writeFileDurableSync(file, data)
}

module.exports = {save}
`);
    writeFileSync(file, result.output as string);
    expect(runNode(join(work, 'cjs-inner'), "require('./store.js').save('out.txt', 'new'); process.stdout.write(require('fs').readFileSync('out.txt', 'utf8'))")).toBe('new');
  });

  it('a UMD file is left for review: a top-level require or import would break it in browsers', () => {
    const source = `(function (root, factory) {
  if (typeof define === 'function' && define.amd) define([], factory);
  else if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.Store = factory();
})(this, function () {
  function save(file, data) {
    var fs = require('fs');
    fs.writeFileSync(file + '.tmp', data);
    fs.renameSync(file + '.tmp', file);
  }
  return { save: save };
});
`;
    const file = project('umd', {}, 'store.js', source);
    const result = rewriteSource(source, file);
    expect(result.status).toBe('unchanged');
    expect(result.sites).toEqual([expect.objectContaining({ status: 'review', reason: expect.stringContaining('module system is unclear') })]);
  });

  it('an ES module package keeps import syntax in .js files', () => {
    const source = `import fs from 'node:fs';\n\nexport function save(file, data) {\n  fs.writeFileSync(file + '.tmp', data);\n  fs.renameSync(file + '.tmp', file);\n}\n`;
    const file = project('esm', { type: 'module' }, 'store.js', source);
    expect(rewriteSource(source, file).output).toBe(
      `import { writeFileDurableSync } from 'durable-write-runtime';\n\nexport function save(file, data) {\n  writeFileDurableSync(file, data);\n}\n`,
    );
  });
});

describe('formatting', () => {
  it('double quotes, no semicolons and tight braces stay as they are', () => {
    const source = `import {readFileSync, writeFileSync, renameSync} from "node:fs"

export function update(file) {
  const next = readFileSync(file, "utf8").trim()
  writeFileSync(file + ".tmp", next)
  renameSync(file + ".tmp", file)
}
`;
    const file = project('style', { type: 'module' }, 'update.js', source);
    expect(rewriteSource(source, file).output).toBe(`import {readFileSync} from "node:fs"
import {writeFileDurableSync} from "durable-write-runtime"

export function update(file) {
  const next = readFileSync(file, "utf8").trim()
  writeFileDurableSync(file, next)
}
`);
  });
});

describe('semantics', () => {
  it('an injected file system (this.fs) is never replaced by the real one', () => {
    const source = `function Adapter() {
  this.fs = require('fs');
}
Adapter.prototype.save = function (file, data) {
  this.fs.writeFileSync(file + '.tmp', data);
  this.fs.renameSync(file + '.tmp', file);
};
module.exports = { Adapter };
`;
    const file = project('injected', {}, 'adapter.js', source);
    const result = rewriteSource(source, file);
    expect(result.status).toBe('unchanged');
    expect(result.sites).toEqual([expect.objectContaining({ status: 'review', reason: expect.stringContaining('injected') })]);
  });

  it('a callback rewrite: a throw in the callback is still an uncaught exception, and errors are fs errors', () => {
    const source = `const fs = require('fs');

function save(file, data, callback) {
  fs.writeFile(file + '.tmp', data, (err) => {
    if (err) return callback(err);
    fs.rename(file + '.tmp', file, callback);
  });
}
module.exports = { save };
`;
    const file = project('callback', {}, 'save.js', source);
    const result = rewriteSource(source, file);
    expect(result.status).toBe('rewritten');
    writeFileSync(file, result.output as string);
    const cwd = join(work, 'callback');
    const thrown = runNode(
      cwd,
      `process.on('uncaughtException', (e) => { process.stdout.write('uncaught ' + e.message); process.exit(0); });
       process.on('unhandledRejection', (e) => { process.stdout.write('unhandled ' + e.message); process.exit(0); });
       require('./save.js').save('out.txt', 'x', (err) => { if (!err) throw new Error('from the callback'); });`,
    );
    expect(thrown).toBe('uncaught from the callback');
    const failed = runNode(cwd, `require('./save.js').save('missing/dir/out.txt', 'x', (err) => process.stdout.write(JSON.stringify({ code: err.code, syscall: err.syscall, name: err.name })));`);
    expect(JSON.parse(failed)).toEqual({ code: 'ENOENT', syscall: 'open', name: 'Error' });
  });
});
