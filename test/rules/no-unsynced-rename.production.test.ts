/**
 * The autofix imports the runtime package only where that import resolves after
 * `npm ci --omit=dev`: a dependency of the nearest package.json, or a vendored (relative) copy.
 * Elsewhere `--fix` makes the pair durable in place, and no suggestion imports the runtime either:
 * an editor applies a suggestion as readily as a fix, and the program would fail in production.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { RuleTester } from './rule-tester.js';
import type { Parser } from '@typescript-eslint/utils/ts-eslint';
import rule from '../../rules/no-unsynced-rename.js';

const espree = createRequire(import.meta.url)('espree') as Parser.LooseParserModule;
const fixtures = path.join(import.meta.dirname, 'fixtures');
const languageOptions = {
  parser: espree,
  parserOptions: { ecmaVersion: 'latest' as const, sourceType: 'module' as const },
};

const code = `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
`;
const helperOutput = (source: string): string => `import { writeFileDurableSync } from '${source}';

export function save(file, data) {
  writeFileDurableSync(file, data);
}
`;
const inPlace = `import fs from 'node:fs';
import { dirname } from 'node:path';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  fs.renameSync(file + '.tmp', file);
  if (process.platform !== 'win32') {
    // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
    const dirFd = fs.openSync(dirname(file), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  }
}
`;

const callbackCode = `import fs from 'node:fs';

export function save(file, data, callback) {
  fs.writeFile(file + '.tmp', data, (err) => {
    if (err) return callback(err);
    fs.rename(file + '.tmp', file, callback);
  });
}
`;
const callbackInPlace = `import fs from 'node:fs';
import { dirname } from 'node:path';

export function save(file, data, callback) {
  fs.writeFile(file + '.tmp', data, { flush: true }, (err) => {
    if (err) return callback(err);
    fs.rename(file + '.tmp', file, (renameErr) => {
      if (renameErr || process.platform === 'win32') return callback(renameErr);
      // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
      fs.open(dirname(file), 'r', (openErr, dirFd) => {
        if (openErr) return callback(openErr);
        fs.fsync(dirFd, (syncErr) => {
          fs.close(dirFd, (closeErr) => {
            callback(syncErr || closeErr);
          });
        });
      });
    });
  });
}
`;
const callbackHelper = `import { writeFileDurable } from 'durable-write-runtime';

export function save(file, data, callback) {
  writeFileDurable(file, data).then(() => null, (error) => error.cause ?? error).then((error) => process.nextTick((err) => {
    if (err) return callback(err);
    process.nextTick(callback, null);
  }, error));
}
`;

new RuleTester().run('no-unsynced-rename (production resolution)', rule as never, {
  valid: [],
  invalid: [
    {
      name: 'a runtime dependency: the helper rewrite is the autofix',
      filename: path.join(fixtures, 'dependency', 'save.mjs'),
      languageOptions,
      code,
      output: helperOutput('durable-write-runtime'),
      errors: [{ messageId: 'unsyncedRename', suggestions: [] }],
    },
    {
      name: 'only a devDependency: durable in place, and no suggestion imports the runtime',
      filename: path.join(fixtures, 'dev-only', 'save.mjs'),
      languageOptions,
      code,
      output: inPlace,
      errors: [{ messageId: 'unsyncedRename', suggestions: [] }],
    },
    {
      name: 'only a devDependency, a shape with no autofix (a write callback): the in-place edit is the suggestion',
      filename: path.join(fixtures, 'dev-only', 'save.mjs'),
      languageOptions,
      code: callbackCode,
      output: null,
      errors: [
        {
          messageId: 'unsyncedRename',
          suggestions: [
            {
              messageId: 'addFlushAndDirectorySync',
              data: { write: 'writeFile', rename: 'rename' },
              output: callbackInPlace,
            },
          ],
        },
      ],
    },
    {
      name: 'the same callback shape in a package that depends on the runtime: the helper rewrite is suggested',
      filename: path.join(fixtures, 'dependency', 'save.mjs'),
      languageOptions,
      code: callbackCode,
      output: null,
      errors: [
        {
          messageId: 'unsyncedRename',
          suggestions: [
            { messageId: 'rewriteToHelper', data: { helper: 'writeFileDurable' }, output: callbackHelper },
            {
              messageId: 'addFlush',
              data: { write: 'writeFile' },
              output: callbackCode.replace('data, (err)', 'data, { flush: true }, (err)'),
            },
          ],
        },
      ],
    },
    {
      name: 'a vendored copy (relative importSource) resolves without any dependency',
      filename: path.join(fixtures, 'dev-only', 'save.mjs'),
      languageOptions,
      options: [{ importSource: './lib/durable-write.js' }],
      code,
      output: helperOutput('./lib/durable-write.js'),
      errors: [{ messageId: 'unsyncedRename', suggestions: [] }],
    },
  ],
});
