/**
 * The in-place durable edit the codemod writes where the helper must not take over: an injected file
 * system (`this.fs`, `self.fs`: the helper would bypass it) and `write(tmp).then(() => rename(tmp,
 * dest), onError)` (one helper call cannot keep the write's failures in `onError` and the rename's
 * out of it). The write gets `flush: true` and the rename is followed by an fsync of its directory.
 * Each case runs the fixed file: through a recording file system, or under strace, and side by side
 * with the original to show that successes and failures reach the same handlers.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Linter } from 'eslint';
import * as espree from 'espree';
import { describe, expect, it } from 'vitest';
import { rewriteSource } from '../../codemods/engine.js';
import { decodeStraceString, straceUnavailableReason, traceNode } from '../durable/crash/strace-trace.js';
import { throwawayPackages } from './support/packages.js';
import { strictTypecheck } from './support/typecheck.js';

const newPackage = throwawayPackages('in-place');
/** A package with `manifest` and one file; returns the package directory. */
const project = (name: string, manifest: Record<string, unknown>, file: string, text: string): string =>
  dirname(newPackage(name, manifest, file, text));

const runNode = (cwd: string, script: string, type: 'commonjs' | 'module' = 'commonjs'): string =>
  execFileSync(process.execPath, [...(type === 'module' ? ['--input-type=module'] : []), '-e', script], {
    cwd,
    encoding: 'utf8',
  });

/**
 * A script that wraps `fs` in a recorder (`calls`: method names, in order) which can be told to fail
 * `rename` or to lack `fsync`/`fsyncSync` (a memory file system or a test double).
 */
const recordingFs = `
const realFs = require('fs');
const calls = [];
function recordingFs({ failRename = false, withoutFsync = false } = {}) {
  const wrapped = {};
  for (const name of ['writeFile', 'writeFileSync', 'rename', 'renameSync', 'open', 'openSync', 'fsync', 'fsyncSync', 'close', 'closeSync']) {
    if (withoutFsync && /^fsync/.test(name)) continue;
    wrapped[name] = (...args) => {
      calls.push(args.some((a) => a && typeof a === 'object' && a.flush === true) ? name + ' flush' : name);
      if (failRename && /^rename/.test(name)) {
        const error = Object.assign(new Error('EBUSY: injected'), { code: 'EBUSY', syscall: 'rename' });
        if (name === 'renameSync') throw error;
        return args[args.length - 1](error);
      }
      return realFs[name](...args);
    };
  }
  return wrapped;
}
`;

describe('an injected file system: made durable through the same object', () => {
  // LokiJS 1.5.12's LokiFsAdapter, in its UMD wrapper, written for ES5.
  const umd = `(function (root, factory) {
  if (typeof define === 'function' && define.amd) {
    define([], factory);
  } else if (typeof exports === 'object') {
    module.exports = factory();
  } else {
    root.Adapter = factory();
  }
}(this, function () {
  /**
   * A file system adapter.
   */
  function LokiFsAdapter() {
    this.fs = require('fs');
  }

  LokiFsAdapter.prototype.saveDatabase = function saveDatabase(dbname, dbstring, callback) {
    var self = this;
    var tmpdbname = dbname + '~';
    this.fs.writeFile(tmpdbname, dbstring, function writeFileCallback(err) {
      if (err) {
        callback(new Error(err));
      } else {
        self.fs.rename(tmpdbname, dbname, callback);
      }
    });
  };

  return LokiFsAdapter;
}));
`;
  const fixedUmd = umd
    .replace(
      'this.fs.writeFile(tmpdbname, dbstring, function',
      'this.fs.writeFile(tmpdbname, dbstring, { flush: true }, function',
    )
    .replace(
      '        self.fs.rename(tmpdbname, dbname, callback);\n',
      `        self.fs.rename(tmpdbname, dbname, function (renameErr) {
          if (renameErr || process.platform === 'win32' || typeof self.fs.fsync !== 'function') return callback(renameErr);
          // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
          self.fs.open(dbname.slice(0, dbname.lastIndexOf('/') + 1) || '.', 'r', function (openErr, dirFd) {
            if (openErr) return callback(openErr);
            self.fs.fsync(dirFd, function (syncErr) {
              self.fs.close(dirFd, function (closeErr) {
                callback(syncErr || closeErr);
              });
            });
          });
        });
`,
    );

  /** Calls the adapter in `dir` with a recording fs built from `options`: its calls, error and result. */
  const saveWithRecordingFs = (dir: string, options: string): unknown =>
    JSON.parse(
      runNode(
        dir,
        `${recordingFs}
         const Adapter = require('./adapter.js');
         const adapter = new Adapter();
         adapter.fs = recordingFs(${options});
         adapter.saveDatabase(require('path').resolve('db.json'), 'data', (error) => {
           process.stdout.write(JSON.stringify({ calls, error: error && error.message, contents: realFs.existsSync('db.json') ? realFs.readFileSync('db.json', 'utf8') : null }));
           realFs.rmSync('db.json', { force: true });
         });`,
      ),
    );

  it('LokiJS (UMD, ES5, callbacks): the callback runs after an fsync of the directory, the file stays an ES5 UMD module', () => {
    const dir = project('loki', {}, 'adapter.js', umd);
    const result = rewriteSource(umd, join(dir, 'adapter.js'));
    expect(result.sites).toEqual([expect.objectContaining({ status: 'rewritten', shape: 'flush' })]);
    expect(result.output).toBe(fixedUmd);
    // uglify-js 2 (LokiJS's build) reads ES5 only.
    expect(() => espree.parse(fixedUmd, { ecmaVersion: 5 })).not.toThrow();
    writeFileSync(join(dir, 'adapter.js'), fixedUmd);
    const run = (options: string): unknown => saveWithRecordingFs(dir, options);
    expect(run('{}')).toEqual({
      calls: ['writeFile flush', 'rename', 'open', 'fsync', 'close'],
      error: null,
      contents: 'data',
    });
    // The rename's own error reaches the callback, and no directory is opened.
    expect(run('{ failRename: true }')).toEqual({
      calls: ['writeFile flush', 'rename'],
      error: 'EBUSY: injected',
      contents: null,
    });
    // A file system without fsync is written through as before.
    expect(run('{ withoutFsync: true }')).toEqual({
      calls: ['writeFile flush', 'rename'],
      error: null,
      contents: 'data',
    });
  });

  it('LokiJS as published (no engines.node, not private): the temp file fsynced explicitly before the rename, in ES5', () => {
    const dir = project('loki-published', { private: false }, 'adapter.js', umd);
    const result = rewriteSource(umd, join(dir, 'adapter.js'));
    expect(result.sites).toEqual([expect.objectContaining({ status: 'rewritten', shape: 'flush' })]);
    const output = result.output as string;
    expect(output).not.toContain('flush');
    expect(output).toContain("var fd = self.fs.openSync(tmpdbname, 'r+');");
    expect(() => espree.parse(output, { ecmaVersion: 5 })).not.toThrow();
    // A block scopes nothing for a `var`: standard's no-lone-blocks flags one (LokiJS's lint).
    const es5 = { languageOptions: { ecmaVersion: 5, sourceType: 'script' } } as const;
    const rules = { 'no-lone-blocks': 'error', 'no-redeclare': 'error' } as const;
    expect(new Linter({ configType: 'flat' }).verify(output, [{ ...es5, rules }])).toEqual([]);
    writeFileSync(join(dir, 'adapter.js'), output);
    const run = (options: string): unknown => saveWithRecordingFs(dir, options);
    expect(run('{}')).toEqual({
      calls: ['writeFile', 'openSync', 'fsyncSync', 'closeSync', 'rename', 'open', 'fsync', 'close'],
      error: null,
      contents: 'data',
    });
    expect(run('{ failRename: true }')).toEqual({
      calls: ['writeFile', 'openSync', 'fsyncSync', 'closeSync', 'rename'],
      error: 'EBUSY: injected',
      contents: null,
    });
  });

  it('this.fs with sync calls: the directory fsync goes through this.fs too, skipped when it has no fsyncSync', () => {
    const source = `function Adapter() {
  this.fs = require('fs');
}
Adapter.prototype.save = function (file, data) {
  this.fs.writeFileSync(file + '.tmp', data);
  this.fs.renameSync(file + '.tmp', file);
};
module.exports = { Adapter };
`;
    const dir = project('injected-sync', {}, 'adapter.js', source);
    const result = rewriteSource(source, join(dir, 'adapter.js'));
    expect(result.output).toBe(`const { dirname } = require('node:path');

function Adapter() {
  this.fs = require('fs');
}
Adapter.prototype.save = function (file, data) {
  this.fs.writeFileSync(file + '.tmp', data, { flush: true });
  this.fs.renameSync(file + '.tmp', file);
  if (process.platform !== 'win32' && typeof this.fs.fsyncSync === 'function') {
    // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
    const dirFd = this.fs.openSync(dirname(file), 'r');
    try {
      this.fs.fsyncSync(dirFd);
    } finally {
      this.fs.closeSync(dirFd);
    }
  }
};
module.exports = { Adapter };
`);
    writeFileSync(join(dir, 'adapter.js'), result.output as string);
    const run = (options: string): unknown =>
      JSON.parse(
        runNode(
          dir,
          `${recordingFs}
           const { Adapter } = require('./adapter.js');
           const adapter = new Adapter();
           adapter.fs = recordingFs(${options});
           let error = null;
           try { adapter.save('out.txt', 'new'); } catch (e) { error = e.message; }
           process.stdout.write(JSON.stringify({ calls, error }));`,
        ),
      );
    expect(run('{}')).toEqual({
      calls: ['writeFileSync flush', 'renameSync', 'openSync', 'fsyncSync', 'closeSync'],
      error: null,
    });
    expect(run('{ failRename: true }')).toEqual({
      calls: ['writeFileSync flush', 'renameSync'],
      error: 'EBUSY: injected',
    });
    expect(run('{ withoutFsync: true }')).toEqual({ calls: ['writeFileSync flush', 'renameSync'], error: null });
  });

  it('an ES5 CommonJS file: var, no added require (the directory by string methods), still ES5', () => {
    const source = `'use strict';

function Store() {
  this.fs = require('fs');
}

Store.prototype.save = function (file, data) {
  var tmp = file + '.tmp';
  this.fs.writeFileSync(tmp, data, 'utf8');
  this.fs.renameSync(tmp, file);
};

module.exports = Store;
`;
    const dir = project('injected-es5', {}, 'store.js', source);
    const result = rewriteSource(source, join(dir, 'store.js'));
    const fixed = source
      .replace(
        "this.fs.writeFileSync(tmp, data, 'utf8');",
        "this.fs.writeFileSync(tmp, data, { encoding: 'utf8', flush: true });",
      )
      .replace(
        '  this.fs.renameSync(tmp, file);\n',
        `  this.fs.renameSync(tmp, file);
  if (process.platform !== 'win32' && typeof this.fs.fsyncSync === 'function') {
    // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
    var dirFd = this.fs.openSync(file.slice(0, file.lastIndexOf('/') + 1) || '.', 'r');
    try {
      this.fs.fsyncSync(dirFd);
    } finally {
      this.fs.closeSync(dirFd);
    }
  }
`,
      );
    expect(result.output).toBe(fixed);
    expect(() => espree.parse(fixed, { ecmaVersion: 5 })).not.toThrow();
    writeFileSync(join(dir, 'store.js'), fixed);
    // A relative name: its directory is '.'.
    const calls = runNode(
      dir,
      `${recordingFs}\nconst Store = require('./store.js');\nconst store = new Store();\nstore.fs = recordingFs();\nstore.save('out.txt', 'v');\nprocess.stdout.write(JSON.stringify(calls) + realFs.readFileSync('out.txt', 'utf8'));`,
    );
    expect(calls).toBe('["writeFileSync flush","renameSync","openSync","fsyncSync","closeSync"]v');
  });

  it('a callback not known to stay the same function (reassigned) gets flush: true only, and the summary says the directory is not fsynced', () => {
    const source = `function Adapter() {
  this.fs = require('fs');
}
Adapter.prototype.save = function (file, data, done) {
  var self = this;
  this.fs.writeFile(file + '.tmp', data, function (err) {
    if (err) return done(err);
    self.fs.rename(file + '.tmp', file, done);
  });
  done = function () {};
};
module.exports = { Adapter };
`;
    const dir = project('injected-reassigned', {}, 'adapter.js', source);
    const result = rewriteSource(source, join(dir, 'adapter.js'));
    expect(result.output).toBe(source.replace('data, function (err)', 'data, { flush: true }, function (err)'));
    expect(result.sites[0]?.differences).toEqual(
      expect.arrayContaining([expect.stringContaining('the directory is not fsynced')]),
    );
  });
});

describe("write(tmp).then(() => rename(tmp, dest), onError): onError keeps seeing the write's failures only", () => {
  /**
   * Runs `save(file, 'data', onError)` of the module in `dir` in three situations (success, the write
   * failing, the rename failing) and reports what reached `onError` and what the promise settled to.
   */
  const outcomes = (dir: string, module: string, type: 'commonjs' | 'module'): unknown => {
    const load =
      type === 'module' ? `const { save } = await import('./${module}');` : `const { save } = require('./${module}');`;
    const script = `${type === 'module' ? "import fs from 'node:fs';" : "const fs = require('fs');"}
      ${type === 'module' ? '' : '(async () => {'}
      ${load}
      const results = {};
      const attempt = async (name, file) => {
        const seen = [];
        const settled = await save(file, 'data', (error) => { seen.push(error.syscall); return 'handled'; }).then((v) => ({ value: v ?? null }), (e) => ({ rejected: e.syscall }));
        results[name] = { onError: seen, ...settled, contents: fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : null };
      };
      await attempt('success', 'ok.txt');
      await attempt('write fails', 'missing/dir/ok.txt');
      fs.mkdirSync('a-directory/inside', { recursive: true });
      await attempt('rename fails', 'a-directory');
      fs.rmSync('ok.txt', { force: true });
      fs.rmSync('a-directory', { recursive: true, force: true });
      fs.rmSync('a-directory.tmp', { force: true });
      process.stdout.write(JSON.stringify(results));
      ${type === 'module' ? '' : '})();'}`;
    return JSON.parse(runNode(dir, script, type));
  };
  const expected = {
    success: { onError: [], value: null, contents: 'data' },
    'write fails': { onError: ['open'], value: 'handled', contents: null },
    'rename fails': { onError: [], rejected: 'rename', contents: null },
  };

  const esm = `import { rename, writeFile } from 'node:fs/promises';

export function save(file, data, onError) {
  return writeFile(file + '.tmp', data).then(() => rename(file + '.tmp', file), onError);
}
`;

  it("ESM: flush: true, the rename's promise gets a .then that fsyncs the directory and passes its value on; outcomes as before", () => {
    const dir = project('then-esm', { type: 'module' }, 'save.js', esm);
    expect(outcomes(dir, 'save.js', 'module')).toEqual(expected);
    const result = rewriteSource(esm, join(dir, 'save.js'));
    expect(result.sites).toEqual([expect.objectContaining({ status: 'rewritten', shape: 'flush' })]);
    expect(result.output).toBe(`import { open, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export function save(file, data, onError) {
  return writeFile(file + '.tmp', data, { flush: true }).then(() => rename(file + '.tmp', file).then(async (renamed) => {
    if (process.platform !== 'win32') {
      // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
      const dirHandle = await open(dirname(file), 'r');
      await dirHandle.sync().finally(() => dirHandle.close());
    }
    return renamed;
  }), onError);
}
`);
    writeFileSync(join(dir, 'save.js'), result.output as string);
    expect(outcomes(dir, 'save.js', 'module')).toEqual(expected);
  });

  it.skipIf(straceUnavailableReason() !== undefined)(
    'ESM: strace shows the temp fsynced before the rename and the directory after it',
    () => {
      const dir = project('then-strace', { type: 'module' }, 'save.js', esm);
      writeFileSync(join(dir, 'save.js'), rewriteSource(esm, join(dir, 'save.js')).output as string);
      writeFileSync(
        join(dir, 'main.mjs'),
        `import { save } from './save.js';\nawait save(${JSON.stringify(join(dir, 'out.txt'))}, 'data', () => {});\n`,
      );
      const calls = traceNode([join(dir, 'main.mjs')], join(dir, 'trace.log'));
      const fsyncOf = (path: string): number =>
        calls.findIndex(
          (c) => c.name === 'fsync' && decodeStraceString(c.args).includes(`<${path}>`) && c.result === 0,
        );
      const rename = calls.findIndex(
        (c) => c.name.startsWith('rename') && decodeStraceString(c.args).includes('out.txt.tmp') && c.result === 0,
      );
      expect(rename).toBeGreaterThan(-1);
      expect(fsyncOf(join(dir, 'out.txt.tmp'))).toBeGreaterThan(-1);
      expect(fsyncOf(join(dir, 'out.txt.tmp'))).toBeLessThan(rename);
      expect(fsyncOf(dir)).toBeGreaterThan(rename);
    },
  );

  it('CommonJS (fs.promises, an inline error handler): require added for dirname, outcomes as before', () => {
    const source = `const fs = require('fs');

function save(file, data, onError) {
  return fs.promises.writeFile(file + '.tmp', data)
    .then(() => fs.promises.rename(file + '.tmp', file), (error) => onError(error));
}
module.exports = { save };
`;
    const dir = project('then-cjs', {}, 'save.cjs', source);
    expect(outcomes(dir, 'save.cjs', 'commonjs')).toEqual(expected);
    const result = rewriteSource(source, join(dir, 'save.cjs'));
    expect(result.output).toBe(`const fs = require('fs');
const { dirname } = require('node:path');

function save(file, data, onError) {
  return fs.promises.writeFile(file + '.tmp', data, { flush: true })
    .then(() => fs.promises.rename(file + '.tmp', file).then(async (renamed) => {
      if (process.platform !== 'win32') {
        // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
        const dirHandle = await fs.promises.open(dirname(file), 'r');
        await dirHandle.sync().finally(() => dirHandle.close());
      }
      return renamed;
    }), (error) => onError(error));
}
module.exports = { save };
`);
    writeFileSync(join(dir, 'save.cjs'), result.output as string);
    expect(outcomes(dir, 'save.cjs', 'commonjs')).toEqual(expected);
  });

  it('TypeScript: the options keep their encoding, and tsc (strict, noUnusedLocals) accepts the result', () => {
    const source = `import { promises as fsp } from 'node:fs';

export async function save(file: string, data: string, onError: (error: unknown) => void): Promise<void> {
  await fsp.writeFile(\`\${file}.tmp\`, data, 'utf8').then(() => fsp.rename(\`\${file}.tmp\`, file), onError);
}
`;
    const dir = project('then-ts', { type: 'module' }, 'save.ts', source);
    const result = rewriteSource(source, join(dir, 'save.ts'));
    expect(result.output).toBe(`import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';

export async function save(file: string, data: string, onError: (error: unknown) => void): Promise<void> {
  await fsp.writeFile(\`\${file}.tmp\`, data, { encoding: 'utf8', flush: true }).then(() => fsp.rename(\`\${file}.tmp\`, file).then(async (renamed) => {
    if (process.platform !== 'win32') {
      // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
      const dirHandle = await fsp.open(dirname(file), 'r');
      await dirHandle.sync().finally(() => dirHandle.close());
    }
    return renamed;
  }), onError);
}
`);
    writeFileSync(join(dir, 'save.ts'), result.output as string);
    expect(strictTypecheck(dir, ['save.ts'])).toBe('');
  });

  it('a handler with a block body is left for review, the file unchanged', () => {
    const source = `import { rename, writeFile } from 'node:fs/promises';

export function save(file, data, onError) {
  return writeFile(file + '.tmp', data).then(() => {
    return rename(file + '.tmp', file);
  }, onError);
}
`;
    const dir = project('then-block', { type: 'module' }, 'save.js', source);
    const result = rewriteSource(source, join(dir, 'save.js'));
    expect(result.status).toBe('unchanged');
    expect(result.sites).toEqual([expect.objectContaining({ status: 'review' })]);
    expect(readFileSync(join(dir, 'save.js'), 'utf8')).toBe(source);
  });

  it('the same chain without an error handler is still the helper rewrite (a single .then link)', () => {
    const source = `import { rename, writeFile } from 'node:fs/promises';

export function save(file, data) {
  return writeFile(file + '.tmp', data).then(() => rename(file + '.tmp', file));
}
`;
    const dir = project(
      'then-plain',
      { type: 'module', dependencies: { 'durable-write-runtime': '^0.1.0' } },
      'save.js',
      source,
    );
    expect(rewriteSource(source, join(dir, 'save.js')).sites).toEqual([
      expect.objectContaining({ status: 'rewritten', shape: 'then' }),
    ]);
  });
});
