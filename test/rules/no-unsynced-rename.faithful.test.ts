/**
 * Fixes that keep the file as it is written and the program as it behaves: an injected file system
 * is only ever edited in place, as a suggestion (never swapped for `node:fs`), added code takes the file's quotes and
 * semicolons, and a sync added before a close keeps the handle closed when the sync fails.
 */
import { createRequire } from 'node:module';
import { RuleTester } from './rule-tester.js';
import type { Parser } from '@typescript-eslint/utils/ts-eslint';
import rule from '../../rules/no-unsynced-rename.js';

const espree = createRequire(import.meta.url)('espree') as Parser.LooseParserModule;
const cjs = { parser: espree, parserOptions: { ecmaVersion: 'latest' as const, sourceType: 'script' as const } };
const esm = { parser: espree, parserOptions: { ecmaVersion: 'latest' as const, sourceType: 'module' as const } };

new RuleTester().run('no-unsynced-rename (faithful fixes)', rule as never, {
  valid: [],
  invalid: [
    {
      name: 'this.fs stays the file system written through: no helper and no autofix, a suggestion that fsyncs through it (skipped when it lacks fsyncSync)',
      filename: 'adapter.cjs',
      languageOptions: cjs,
      code: `function Adapter() {
  this.fs = require('fs');
}
Adapter.prototype.save = function (file, data) {
  this.fs.writeFileSync(file + '.tmp', data);
  this.fs.renameSync(file + '.tmp', file);
};
module.exports = { Adapter };
`,
      output: null,
      errors: [
        {
          messageId: 'unsyncedRename',
          suggestions: [
            {
              messageId: 'addFlushAndDirectorySync',
              data: { write: 'writeFileSync', rename: 'renameSync' },
              output: `const { dirname } = require('node:path');

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
`,
            },
          ],
        },
      ],
    },
    {
      name: 'double quotes and no semicolons in the added code',
      filename: 'save.mjs',
      languageOptions: esm,
      options: [{ fixStyle: 'flush' }],
      code: `import fs from "node:fs"
import path from "node:path"

export function save(file, data) {
  fs.writeFileSync(file + ".tmp", data)
  fs.renameSync(file + ".tmp", file)
}
`,
      output: `import fs from "node:fs"
import path from "node:path"

export function save(file, data) {
  fs.writeFileSync(file + ".tmp", data, { flush: true })
  fs.renameSync(file + ".tmp", file)
  if (process.platform !== "win32") {
    // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
    const dirFd = fs.openSync(path.dirname(file), "r")
    try {
      fs.fsyncSync(dirFd)
    } finally {
      fs.closeSync(dirFd)
    }
  }
}
`,
      errors: [{ messageId: 'unsyncedRename', suggestions: [] }],
    },
    {
      name: 'fsyncBeforeClose in a finally: the close still runs when the sync rejects',
      filename: 'save.mjs',
      languageOptions: esm,
      code: `import { open, rename } from 'node:fs/promises';

export async function save(file, data) {
  const handle = await open(file + '.tmp', 'w');
  try {
    await handle.write(data);
  } finally {
    await handle.close();
  }
  await rename(file + '.tmp', file);
}
`,
      output: null,
      errors: [
        {
          messageId: 'unsyncedRename',
          suggestions: [
            {
              messageId: 'fsyncBeforeClose',
              data: { call: 'await handle.sync()' },
              output: `import { open, rename } from 'node:fs/promises';

export async function save(file, data) {
  const handle = await open(file + '.tmp', 'w');
  try {
    await handle.write(data);
  } finally {
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await rename(file + '.tmp', file);
}
`,
            },
          ],
        },
      ],
    },
  ],
});
