/**
 * Rewrites a maintainer would merge: the file keeps its module system (and still loads), its
 * quotes, semicolons and brace spacing; an injected file system is never swapped for the real one;
 * a callback rewrite keeps a throw in the callback an uncaught exception and passes fs's own error.
 * Each case runs the codemod engine on a file inside a throwaway package, then runs the result.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rewriteSource } from '../../codemods/engine.js';
import { throwawayPackages } from './support/packages.js';
import { strictTypecheck } from './support/typecheck.js';

const project = throwawayPackages('faithful');

const runNode = (cwd: string, script: string): string =>
  execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' });

describe('module system', () => {
  it('a .js file in a CommonJS package that requires fs inside a function gets require, and loads', () => {
    const file = project(
      'cjs-inner',
      {},
      'store.js',
      `"use strict"

function save(file, data) {
  const fs = require("fs")
  fs.writeFileSync(file + ".tmp", data)
  fs.renameSync(file + ".tmp", file)
}

module.exports = {save}
`,
    );
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
    expect(
      runNode(
        dirname(file),
        "require('./store.js').save('out.txt', 'new'); process.stdout.write(require('fs').readFileSync('out.txt', 'utf8'))",
      ),
    ).toBe('new');
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
    expect(result.sites).toEqual([
      expect.objectContaining({ status: 'review', reason: expect.stringContaining('module system is unclear') }),
    ]);
  });

  it('an ES module package keeps import syntax in .js files', () => {
    const source = `import fs from 'node:fs';\n\nexport function save(file, data) {\n  fs.writeFileSync(file + '.tmp', data);\n  fs.renameSync(file + '.tmp', file);\n}\n`;
    const file = project('esm', { type: 'module' }, 'store.js', source);
    expect(rewriteSource(source, file).output).toBe(
      `import { writeFileDurableSync } from 'durable-write-runtime';\n\nexport function save(file, data) {\n  writeFileDurableSync(file, data);\n}\n`,
    );
  });
});

describe('generated files', () => {
  const minified = `var fs=require("fs");function save(f,d){fs.writeFileSync(f+".tmp",d);fs.renameSync(f+".tmp",f)}module.exports={save:save};`;

  it('a .min.js file is left for review: its source is where the fix goes', () => {
    const file = project('minified-name', {}, 'store.min.js', minified);
    const result = rewriteSource(minified, file);
    expect(result.status).toBe('unchanged');
    expect(result.sites).toEqual([
      expect.objectContaining({ status: 'review', reason: 'a minified (generated) file: fix its source and rebuild' }),
    ]);
  });

  it('so is a file of very long lines, whatever its name; the same code laid out by hand is rewritten', () => {
    const padding = `var table=[${Array.from({ length: 2000 }, (_, i) => i).join(',')}];`;
    const file = project('minified-lines', {}, 'bundle.js', `${padding}${minified}`);
    expect(rewriteSource(`${padding}${minified}`, file).sites).toEqual([expect.objectContaining({ status: 'review' })]);
    const readable = minified.replace(/;/g, ';\n').replace(/\{/g, '{\n');
    expect(rewriteSource(readable, project('readable', {}, 'store.js', readable)).status).toBe('rewritten');
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
  // An injected file system kept and made durable in place: in-place.test.ts.

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
    const cwd = dirname(file);
    const thrown = runNode(
      cwd,
      `process.on('uncaughtException', (e) => { process.stdout.write('uncaught ' + e.message); process.exit(0); });
       process.on('unhandledRejection', (e) => { process.stdout.write('unhandled ' + e.message); process.exit(0); });
       require('./save.js').save('out.txt', 'x', (err) => { if (!err) throw new Error('from the callback'); });`,
    );
    expect(thrown).toBe('uncaught from the callback');
    const failed = runNode(
      cwd,
      `require('./save.js').save('missing/dir/out.txt', 'x', (err) => process.stdout.write(JSON.stringify({ code: err.code, syscall: err.syscall, name: err.name })));`,
    );
    expect(JSON.parse(failed)).toEqual({ code: 'ENOENT', syscall: 'open', name: 'Error' });
  });
});

/** steno's retry helper, the same before and after the rewrite. */
const retryFunction = `async function retryAsyncOperation(fn: () => Promise<void>, maxRetries: number, delayMs: number): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i >= maxRetries - 1) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
`;

describe('shapes', () => {
  it('steno: a rename in a retry closure, the private temp field and its helper function go, and tsc --noUnusedLocals passes', () => {
    const source = `import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Returns a temporary file
// Example: for /some/file will return /some/.file.tmp
function getTempFilename(file: string | URL): string {
  const f = file instanceof URL ? fileURLToPath(file) : file.toString();
  return join(dirname(f), \`.\${basename(f)}.tmp\`);
}

${retryFunction}
export class Writer {
  #filename: string | URL;
  #tempFilename: string;

  constructor(filename: string | URL) {
    this.#filename = filename;
    this.#tempFilename = getTempFilename(filename);
  }

  async write(data: string): Promise<void> {
    await writeFile(this.#tempFilename, data, 'utf-8');
    await retryAsyncOperation(async () => {
      await rename(this.#tempFilename, this.#filename);
    }, 10, 100);
  }
}
`;
    const file = project(
      'steno',
      { type: 'module', dependencies: { 'durable-write-runtime': '^0.1.0' } },
      'index.ts',
      source,
    );
    const result = rewriteSource(source, file);
    expect(result.sites).toEqual([expect.objectContaining({ status: 'rewritten', shape: 'retry' })]);
    expect(result.output).toBe(`import { writeFileDurable } from 'durable-write-runtime';

${retryFunction}
export class Writer {
  #filename: string | URL;

  constructor(filename: string | URL) {
    this.#filename = filename;
  }

  async write(data: string): Promise<void> {
    await retryAsyncOperation(async () => {
      await writeFileDurable(this.#filename, data, 'utf-8');
    }, 10, 100);
  }
}
`);
    writeFileSync(file, result.output as string);
    expect(strictTypecheck(dirname(file), ['index.ts'])).toBe('');
  });

  it('lowdb: a local that only computed the temp path goes too, no semicolons kept, tsc --noUnusedLocals passes', () => {
    const source = `import { PathLike, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export class TextFileSync {
  #tempFilename: PathLike
  #filename: PathLike

  constructor(filename: PathLike) {
    this.#filename = filename
    const f = filename.toString()
    this.#tempFilename = path.join(path.dirname(f), \`.\${path.basename(f)}.tmp\`)
  }

  read(): string {
    return readFileSync(this.#filename, 'utf-8')
  }

  write(str: string): void {
    writeFileSync(this.#tempFilename, str)
    renameSync(this.#tempFilename, this.#filename)
  }
}
`;
    const file = project(
      'lowdb',
      { type: 'module', dependencies: { 'durable-write-runtime': '^0.1.0' } },
      'TextFile.ts',
      source,
    );
    const result = rewriteSource(source, file);
    expect(result.output).toBe(`import { PathLike, readFileSync } from 'node:fs'

import { writeFileDurableSync } from 'durable-write-runtime'

export class TextFileSync {
  #filename: PathLike

  constructor(filename: PathLike) {
    this.#filename = filename
  }

  read(): string {
    return readFileSync(this.#filename, 'utf-8')
  }

  write(str: string): void {
    writeFileDurableSync(this.#filename, str)
  }
}
`);
    writeFileSync(file, result.output as string);
    expect(strictTypecheck(dirname(file), ['TextFile.ts'])).toBe('');
  });

  it('LokiJS-style if/else error callback', () => {
    const source = `var fs = require('fs');

function save(dbname, dbstring, callback) {
  var tmpdbname = dbname + '~';
  fs.writeFile(tmpdbname, dbstring, function writeFileCallback(err) {
    if (err) {
      callback(err);
    } else {
      fs.rename(tmpdbname, dbname, callback);
    }
  });
}
module.exports = { save: save };
`;
    const file = project('loki', {}, 'adapter.js', source);
    const result = rewriteSource(source, file);
    expect(result.sites).toEqual([expect.objectContaining({ status: 'rewritten', shape: 'callback' })]);
    writeFileSync(file, result.output as string);
    const out = runNode(
      dirname(file),
      "require('./adapter.js').save('db.json', 'v', (err) => process.stdout.write(String(err) + ' ' + require('fs').readFileSync('db.json', 'utf8')))",
    );
    expect(out).toBe('null v');
  });

  it("the write outside a try and the rename inside it: the helper call takes the rename's place", () => {
    const source = `import fs from 'node:fs';

export function save(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}
`;
    const file = project('try', { type: 'module' }, 'save.js', source);
    const result = rewriteSource(source, file);
    expect(result.sites).toEqual([expect.objectContaining({ status: 'rewritten', shape: 'statements' })]);
    expect(result.output).toBe(`import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  writeFileDurableSync(file, data);
}
`);
  });

  it("flag 'wx' on the temp file: dropped (the helper's temps are exclusive already) and listed as a difference", () => {
    const source = `import { renameSync, writeFileSync } from 'node:fs';

export function save(file, data) {
  writeFileSync(file + '.tmp', data, { encoding: 'utf8', flag: 'wx' });
  renameSync(file + '.tmp', file);
}

export function create(file, data) {
  writeFileSync(file + '.new', data, { flag: 'wx' });
  renameSync(file + '.new', file);
}
`;
    const file = project('wx', { type: 'module' }, 'save.js', source);
    const result = rewriteSource(source, file);
    expect(result.output).toBe(`import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  writeFileDurableSync(file, data, { encoding: 'utf8' });
}

export function create(file, data) {
  writeFileDurableSync(file, data);
}
`);
    expect(result.sites.map((s) => s.differences?.some((d) => d.includes("flag 'wx'")))).toEqual([true, true]);
  });

  it("a .then chain with an error handler after it: the handler now sees the helper's errors, as it saw both calls' before", () => {
    const source = `import { rename, writeFile } from 'node:fs/promises';

export function save(file, data, log) {
  return writeFile(file + '.tmp', data)
    .then(() => rename(file + '.tmp', file))
    .catch((error) => log(error));
}
`;
    const file = project('then-catch', { type: 'module' }, 'save.js', source);
    const result = rewriteSource(source, file);
    expect(result.output).toBe(`import { writeFileDurable } from 'durable-write-runtime';

export function save(file, data, log) {
  return writeFileDurable(file, data)
    .catch((error) => log(error));
}
`);
  });
});
