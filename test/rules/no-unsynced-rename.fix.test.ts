/**
 * Fixes and suggestions of `no-unsynced-rename`: every fixable and suggestable shape with its exact
 * output, in ESM, CommonJS, TypeScript and TSX. Every autofix output is linted again as a valid
 * case, so a fix is a fixed point: it parses and the rule reports nothing on it.
 */
import { createRequire } from 'node:module';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { RuleTester } from './rule-tester.js';
import type { Parser, RuleModule } from '@typescript-eslint/utils/ts-eslint';
import rule, { type MessageId } from '../../rules/no-unsynced-rename.js';
import type { Options } from '../../src/options.js';

const espree = createRequire(import.meta.url)('espree') as Parser.LooseParserModule;

type Lang = 'esm' | 'cjs' | 'ts' | 'tsx';

interface Case {
  readonly name: string;
  readonly lang: Lang;
  readonly options?: [Options];
  readonly code: string;
  readonly output: string | null;
  readonly errors: InvalidTestCase<MessageId, [Options]>['errors'];
}

const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

const languages: Record<Lang, Pick<ValidTestCase<[Options]>, 'filename' | 'languageOptions'>> = {
  esm: {
    filename: 'file.mjs',
    languageOptions: { parser: espree, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  },
  cjs: {
    filename: 'file.cjs',
    languageOptions: { parser: espree, parserOptions: { ecmaVersion: 'latest', sourceType: 'script' } },
  },
  ts: { filename: 'file.ts' },
  tsx: { filename: 'file.tsx', languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
};

const cases: Case[] = [
  {
    name: 'ESM sync, default fs import made unused, temp declaration dropped',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
`,
    output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  writeFileDurableSync(file, data);
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'ESM sync, named fs imports: the one still used stays',
    lang: 'esm',
    code: `import { readFileSync, renameSync, writeFileSync } from 'fs';

export function update(file) {
  const next = readFileSync(file, 'utf8').toUpperCase();
  writeFileSync(\`\${file}.tmp\`, next, 'utf8');
  renameSync(\`\${file}.tmp\`, file);
}
`,
    output: `import { readFileSync } from 'fs';

import { writeFileDurableSync } from 'durable-write-runtime';

export function update(file) {
  const next = readFileSync(file, 'utf8').toUpperCase();
  writeFileDurableSync(file, next, 'utf8');
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'ESM async, fs/promises named imports',
    lang: 'esm',
    code: `import { rename, writeFile } from 'node:fs/promises';

export async function save(file, data) {
  await writeFile(file + '.tmp', data, { encoding: 'utf8', mode: 0o600 });
  await rename(file + '.tmp', file);
}
`,
    output: `import { writeFileDurable } from 'durable-write-runtime';

export async function save(file, data) {
  await writeFileDurable(file, data, { encoding: 'utf8', mode: 0o600 });
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: 'ESM async, fs.promises through a namespace import that stays used',
    lang: 'esm',
    code: `import * as fs from 'node:fs';

export async function save(file, data) {
  const tmp = \`\${file}.\${process.pid}.tmp\`;
  await fs.promises.writeFile(tmp, data);
  await fs.promises.rename(tmp, file);
  return fs.statSync(file).size;
}
`,
    output: `import * as fs from 'node:fs';

import { writeFileDurable } from 'durable-write-runtime';

export async function save(file, data) {
  await writeFileDurable(file, data);
  return fs.statSync(file).size;
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: 'existing import from the helper source is extended',
    lang: 'esm',
    code: `import { writeFileSync, renameSync } from 'node:fs';
import { readJsonValidatedSync } from 'durable-write-runtime';

export function save(file, value) {
  writeFileSync(file + '.tmp', JSON.stringify(value));
  renameSync(file + '.tmp', file);
  return readJsonValidatedSync(file);
}
`,
    output: `import { readJsonValidatedSync, writeFileDurableSync } from 'durable-write-runtime';

export function save(file, value) {
  writeFileDurableSync(file, JSON.stringify(value));
  return readJsonValidatedSync(file);
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'helper already imported under an alias is reused',
    lang: 'esm',
    code: `import fs from 'node:fs';
import { writeFileDurableSync as durableWrite } from 'durable-write-runtime';

export function save(file, data) {
  durableWrite(file + '.bak', data);
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
`,
    output: `import { writeFileDurableSync as durableWrite } from 'durable-write-runtime';

export function save(file, data) {
  durableWrite(file + '.bak', data);
  durableWrite(file, data);
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'comments between and inside the statements are kept',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(/* temp */ file + '.tmp', data, 'utf8'); // write
  // then publish it
  fs.renameSync(file + '.tmp', /* target */ file);
}
`,
    output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  writeFileDurableSync(/* temp */ file, data, 'utf8'); // write
  // then publish it
  /* target */
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'inert statements between (declarations of literals) allow the fix',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  const status = 'saved';
  fs.renameSync(file + '.tmp', file);
  return status;
}
`,
    output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  writeFileDurableSync(file, data);
  const status = 'saved';
  return status;
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'clean-up that ignores errors is dead with the helper: removed, with the try that then only rethrew',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  const tmp = file + '.tmp';
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}
`,
    output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  writeFileDurableSync(file, data);
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 5,
        suggestions: [],
      },
    ],
  },
  {
    name: 'CommonJS with destructured require',
    lang: 'cjs',
    code: `'use strict';
const { writeFileSync, renameSync, existsSync } = require('fs');

function save(file, data) {
  if (existsSync(file)) return;
  writeFileSync(file + '.tmp', data);
  renameSync(file + '.tmp', file);
}
module.exports = { save };
`,
    output: `'use strict';
const { existsSync } = require('fs');

const { writeFileDurableSync } = require('durable-write-runtime');

function save(file, data) {
  if (existsSync(file)) return;
  writeFileDurableSync(file, data);
}
module.exports = { save };
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: "CommonJS 'use strict' file: require goes after the directive",
    lang: 'cjs',
    code: `'use strict';

function save(file, data) {
  const fs = require('fs');
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
module.exports = { save };
`,
    output: `'use strict';
const { writeFileDurableSync } = require('durable-write-runtime');

function save(file, data) {
  writeFileDurableSync(file, data);
}
module.exports = { save };
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'CommonJS async with require(fs).promises',
    lang: 'cjs',
    code: `const fsp = require('fs').promises;
const path = require('path');

async function save(dir, data) {
  const tmp = path.join(dir, 'state.json.tmp');
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, path.join(dir, 'state.json'));
}
module.exports = { save };
`,
    output: `const path = require('path');

const { writeFileDurable } = require('durable-write-runtime');

async function save(dir, data) {
  await writeFileDurable(path.join(dir, 'state.json'), data);
}
module.exports = { save };
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: 'CRLF file keeps CRLF',
    lang: 'esm',
    code: crlf(`import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
`),
    output: crlf(`import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  writeFileDurableSync(file, data);
}
`),
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'TypeScript, with type wrappers and annotations',
    lang: 'ts',
    code: `import * as fs from 'node:fs';

export function save(file: string, data: Buffer): void {
  const tmp: string = file + '.tmp';
  fs.writeFileSync(tmp, data as Uint8Array);
  fs.renameSync(tmp, file as string);
}
`,
    output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file: string, data: Buffer): void {
  writeFileDurableSync(file as string, data as Uint8Array);
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'TypeScript import-equals made unused, temp path from a parameter',
    lang: 'ts',
    code: `import fs = require('fs');

export function save(tmp: string, file: string, data: string): void {
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
`,
    output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(tmp: string, file: string, data: string): void {
  writeFileDurableSync(file, data);
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'TSX, async',
    lang: 'tsx',
    code: `import { rename, writeFile } from 'node:fs/promises';

export async function render(file: string): Promise<JSX.Element> {
  await writeFile(file + '.tmp', '<p/>');
  await rename(file + '.tmp', file);
  return <p>{file}</p>;
}
`,
    output: `import { writeFileDurable } from 'durable-write-runtime';

export async function render(file: string): Promise<JSX.Element> {
  await writeFileDurable(file, '<p/>');
  return <p>{file}</p>;
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: 'a statement in between',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  console.log('written');
  fs.renameSync(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  writeFileDurableSync(file, data);
  console.log('written');
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  console.log('written');
  fs.renameSync(file + '.tmp', file);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a statement in between reads the temp file',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  const size = fs.statSync(file + '.tmp').size;
  fs.renameSync(file + '.tmp', file);
  return size;
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import fs from 'node:fs';

import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  writeFileDurableSync(file, data);
  const size = fs.statSync(file + '.tmp').size;
  return size;
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  const size = fs.statSync(file + '.tmp').size;
  fs.renameSync(file + '.tmp', file);
  return size;
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a statement in between can throw into a handler that removes the temp file',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data, check) {
  try {
    fs.writeFileSync(file + '.tmp', data);
    check(data);
    fs.renameSync(file + '.tmp', file);
  } catch (error) {
    fs.rmSync(file + '.tmp', { force: true });
    throw error;
  }
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 5,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data, check) {
  writeFileDurableSync(file, data);
  check(data);
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data, check) {
  try {
    fs.writeFileSync(file + '.tmp', data, { flush: true });
    check(data);
    fs.renameSync(file + '.tmp', file);
  } catch (error) {
    fs.rmSync(file + '.tmp', { force: true });
    throw error;
  }
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'write and rename in different blocks',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data, fresh) {
  if (fresh) {
    fs.writeFileSync(file + '.tmp', data);
  }
  fs.renameSync(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 3,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data, fresh) {
  if (fresh) {
    writeFileDurableSync(file, data);
  }
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data, fresh) {
  if (fresh) {
    fs.writeFileSync(file + '.tmp', data, { flush: true });
  }
  fs.renameSync(file + '.tmp', file);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'not awaited alike: the rename is returned',
    lang: 'esm',
    code: `import { rename, writeFile } from 'node:fs/promises';

export async function save(file, data) {
  await writeFile(file + '.tmp', data);
  return rename(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 10,
        suggestions: [
          {
            // The returned promise settles after the directory fsync, with the rename's value or error.
            messageId: 'addFlushAndDirectorySync',
            output: `import { open, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function save(file, data) {
  await writeFile(file + '.tmp', data, { flush: true });
  return rename(file + '.tmp', file).then(async (renamed) => {
    if (process.platform !== 'win32') {
      // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
      const dirHandle = await open(dirname(file), 'r');
      await dirHandle.sync().finally(() => dirHandle.close());
    }
    return renamed;
  });
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'destination declared between the write and the rename',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(dir, data) {
  fs.writeFileSync(dir + '/x.tmp', data);
  const target = dir + '/x';
  fs.renameSync(dir + '/x.tmp', target);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(dir, data) {
  const target = dir + '/x';
  writeFileDurableSync(target, data);
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(dir, data) {
  fs.writeFileSync(dir + '/x.tmp', data, { flush: true });
  const target = dir + '/x';
  fs.renameSync(dir + '/x.tmp', target);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'destination reassigned between the write and the rename',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  let target = file;
  fs.writeFileSync(file + '.tmp', data);
  target = file + '.json';
  fs.renameSync(file + '.tmp', target);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 3,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  let target = file;
  target = file + '.json';
  writeFileDurableSync(target, data);
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data) {
  let target = file;
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  target = file + '.json';
  fs.renameSync(file + '.tmp', target);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'destination with side effects',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data, names) {
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', names.next());
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 3,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data, names) {
  writeFileDurableSync(names.next(), data);
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data, names) {
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  fs.renameSync(file + '.tmp', names.next());
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'temp file used after the rename',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
  return tmp;
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  const tmp = file + '.tmp';
  writeFileDurableSync(file, data);
  return tmp;
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data, { flush: true });
  fs.renameSync(tmp, file);
  return tmp;
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'clean-up that can fail is not redundant',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  const tmp = file + '.tmp';
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.unlinkSync(tmp);
    throw error;
  }
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 5,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import fs from 'node:fs';

import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data) {
  const tmp = file + '.tmp';
  try {
    writeFileDurableSync(file, data);
  } catch (error) {
    fs.unlinkSync(tmp);
    throw error;
  }
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data) {
  const tmp = file + '.tmp';
  try {
    fs.writeFileSync(tmp, data, { flush: true });
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.unlinkSync(tmp);
    throw error;
  }
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'options the helper may treat differently (unknown variable)',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data, options) {
  fs.writeFileSync(file + '.tmp', data, options);
  fs.renameSync(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 3,
        suggestions: [
          {
            messageId: 'rewriteToHelperForReview',
            output: `import { writeFileDurableSync } from 'durable-write-runtime';

export function save(file, data, options) {
  writeFileDurableSync(file, data, options);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'append flag',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flag: 'a' });
  fs.renameSync(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 3,
        suggestions: [
          // The helper refuses flag 'a' with a TypeError: no rewrite into it, not even for review.
          {
            messageId: 'addFlushAndDirectorySync',
            output: `import fs from 'node:fs';
import { dirname } from 'node:path';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flag: 'a', flush: true });
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
`,
          },
        ],
      },
    ],
  },
  {
    name: 'callback form',
    lang: 'cjs',
    code: `const fs = require('fs');

function save(file, data, cb) {
  fs.writeFile(file + '.tmp', data, (err) => {
    if (err) return cb(err);
    fs.rename(file + '.tmp', file, cb);
  });
}
module.exports = { save };
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 5,
        suggestions: [
          {
            messageId: 'rewriteToHelper',
            output: `const { writeFileDurable } = require('durable-write-runtime');

function save(file, data, cb) {
  writeFileDurable(file, data).then(() => null, (error) => error.cause ?? error).then((error) => process.nextTick((err) => {
    if (err) return cb(err);
    process.nextTick(cb, null);
  }, error));
}
module.exports = { save };
`,
          },
          {
            messageId: 'addFlush',
            output: `const fs = require('fs');

function save(file, data, cb) {
  fs.writeFile(file + '.tmp', data, { flush: true }, (err) => {
    if (err) return cb(err);
    fs.rename(file + '.tmp', file, cb);
  });
}
module.exports = { save };
`,
          },
        ],
      },
    ],
  },
  {
    name: '.then chain',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data) {
  return fs.promises.writeFile(file + '.tmp', data, 'utf8').then(() => fs.promises.rename(file + '.tmp', file));
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 4,
        column: 72,
        suggestions: [
          {
            messageId: 'rewriteToHelper',
            output: `import { writeFileDurable } from 'durable-write-runtime';

export function save(file, data) {
  return writeFileDurable(file, data, 'utf8');
}
`,
          },
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data) {
  return fs.promises.writeFile(file + '.tmp', data, { encoding: 'utf8', flush: true }).then(() => fs.promises.rename(file + '.tmp', file));
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'descriptor flow',
    lang: 'cjs',
    code: `const fs = require('fs');

function save(file, data) {
  const fd = fs.openSync(file + '.tmp', 'w');
  fs.writeSync(fd, data);
  fs.closeSync(fd);
  fs.renameSync(file + '.tmp', file);
}
module.exports = { save };
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 3,
        suggestions: [
          {
            messageId: 'fsyncBeforeClose',
            output: `const fs = require('fs');

function save(file, data) {
  const fd = fs.openSync(file + '.tmp', 'w');
  fs.writeSync(fd, data);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(file + '.tmp', file);
}
module.exports = { save };
`,
          },
        ],
      },
    ],
  },
  {
    name: 'descriptor flow with named imports',
    lang: 'esm',
    code: `import { closeSync, openSync, renameSync, writeSync } from 'node:fs';

export function save(file, data) {
  const fd = openSync(file + '.tmp', 'w');
  writeSync(fd, data);
  closeSync(fd);
  renameSync(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 3,
        suggestions: [
          {
            messageId: 'fsyncBeforeClose',
            output: `import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

export function save(file, data) {
  const fd = openSync(file + '.tmp', 'w');
  writeSync(fd, data);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(file + '.tmp', file);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'FileHandle flow',
    lang: 'ts',
    code: `import { open, rename } from 'node:fs/promises';

export async function save(file: string, data: string): Promise<void> {
  const handle = await open(file + '.tmp', 'w');
  await handle.write(data);
  await handle.close();
  await rename(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 9,
        suggestions: [
          {
            messageId: 'fsyncBeforeClose',
            output: `import { open, rename } from 'node:fs/promises';

export async function save(file: string, data: string): Promise<void> {
  const handle = await open(file + '.tmp', 'w');
  await handle.write(data);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(file + '.tmp', file);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: "write stream published on 'close': flush: true syncs before close, and the rename's callback waits for a directory fsync",
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, source, done) {
  const out = fs.createWriteStream(file + '.tmp', { encoding: 'utf8' });
  source.pipe(out).on('close', () => fs.rename(file + '.tmp', file, done));
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 38,
        suggestions: [
          {
            // The callback runs after an fsync of the directory, through the same fs.
            messageId: 'addFlushAndDirectorySync',
            output: `import fs from 'node:fs';
import { dirname } from 'node:path';

export function save(file, source, done) {
  const out = fs.createWriteStream(file + '.tmp', { encoding: 'utf8', flush: true });
  source.pipe(out).on('close', () => fs.rename(file + '.tmp', file, (renameErr) => {
    if (renameErr || process.platform === 'win32') return done(renameErr);
    // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
    fs.open(dirname(file), 'r', (openErr, dirFd) => {
      if (openErr) return done(openErr);
      fs.fsync(dirFd, (syncErr) => {
        fs.close(dirFd, (closeErr) => {
          done(syncErr || closeErr);
        });
      });
    });
  }));
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'copyFile: fsync before the rename',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function install(source, file) {
  fs.copyFileSync(source, file + '.tmp');
  fs.renameSync(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 3,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import fs from 'node:fs';

export function install(source, file) {
  fs.copyFileSync(source, file + '.tmp');
  {
    const fd = fs.openSync(file + '.tmp', 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  fs.renameSync(file + '.tmp', file);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'copyFile then a rename that is the whole body of an if: the body becomes a block, fsync first',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function install(source, file) {
  fs.copyFileSync(source, file + '.tmp');
  if (fs.existsSync(file + '.tmp')) fs.renameSync(file + '.tmp', file);
  else throw new Error('not copied');
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 37,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import fs from 'node:fs';

export function install(source, file) {
  fs.copyFileSync(source, file + '.tmp');
  if (fs.existsSync(file + '.tmp')) {
    {
      const fd = fs.openSync(file + '.tmp', 'r+');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    fs.renameSync(file + '.tmp', file);
  }
  else throw new Error('not copied');
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a descriptor already fsynced before its close: no second fsync before the close, an fsync before the rename a throw reaches',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data, dest) {
  try {
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, data);
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    fs.renameSync(file, dest);
  }
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedOnSomePaths',
        line: 13,
        column: 5,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import fs from 'node:fs';

export function save(file, data, dest) {
  try {
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, data);
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    {
      const fd = fs.openSync(file, 'r+');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    fs.renameSync(file, dest);
  }
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'two writes reach the rename unsynced: flush: true on both, or the report would stand',
    lang: 'esm',
    code: `import fs from 'node:fs';

export function save(file, data, again) {
  fs.writeFileSync(file + '.tmp', data);
  if (again) fs.writeFileSync(file + '.tmp', data + '\\n');
  fs.renameSync(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [
          {
            messageId: 'addFlush',
            output: `import fs from 'node:fs';

export function save(file, data, again) {
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  if (again) fs.writeFileSync(file + '.tmp', data + '\\n', { flush: true });
  fs.renameSync(file + '.tmp', file);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'copyFile, async: FileHandle sync before the rename',
    lang: 'esm',
    code: `import { copyFile, rename } from 'node:fs/promises';

export async function install(source, file) {
  await copyFile(source, file + '.tmp');
  await rename(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 9,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import { copyFile, open, rename } from 'node:fs/promises';

export async function install(source, file) {
  await copyFile(source, file + '.tmp');
  {
    const handle = await open(file + '.tmp', 'r+');
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
  {
    name: 'flush style, sync',
    lang: 'esm',
    options: [{ fixStyle: 'flush' }],
    code: `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, 'utf8');
  fs.renameSync(file + '.tmp', file);
}
`,
    output: `import fs from 'node:fs';
import { dirname } from 'node:path';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { encoding: 'utf8', flush: true });
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
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'flush style, async with an existing path import',
    lang: 'esm',
    options: [{ fixStyle: 'flush' }],
    code: `import path from 'node:path';
import { rename, writeFile } from 'node:fs/promises';

export async function save(dir, data) {
  await writeFile(path.join(dir, 'a.tmp'), data, { mode: 0o600 });
  await rename(path.join(dir, 'a.tmp'), path.join(dir, 'a'));
}
`,
    output: `import path from 'node:path';
import { open, rename, writeFile } from 'node:fs/promises';

export async function save(dir, data) {
  await writeFile(path.join(dir, 'a.tmp'), data, { mode: 0o600, flush: true });
  await rename(path.join(dir, 'a.tmp'), path.join(dir, 'a'));
  if (process.platform !== 'win32') {
    // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
    const dirHandle = await open(path.dirname(path.join(dir, 'a')), 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: 'flush style, CommonJS',
    lang: 'cjs',
    options: [{ fixStyle: 'flush' }],
    code: `'use strict';
const fs = require('fs');

function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  console.log('written');
  fs.renameSync(file + '.tmp', file);
}
module.exports = { save };
`,
    output: `'use strict';
const fs = require('fs');
const { dirname } = require('node:path');

function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  console.log('written');
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
module.exports = { save };
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'flush style, options in a variable: suggestion only',
    lang: 'esm',
    options: [{ fixStyle: 'flush' }],
    code: `import fs from 'node:fs';

export function save(file, data, options) {
  fs.writeFileSync(file + '.tmp', data, options);
  fs.renameSync(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 3,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import fs from 'node:fs';

export function save(file, data, options) {
  fs.writeFileSync(file + '.tmp', data, options);
  {
    const fd = fs.openSync(file + '.tmp', 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  fs.renameSync(file + '.tmp', file);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'importSource option',
    lang: 'esm',
    options: [{ importSource: '#durable' }],
    code: `import fs from 'node:fs';

export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
`,
    output: `import { writeFileDurableSync } from '#durable';

export function save(file, data) {
  writeFileDurableSync(file, data);
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: 'return of a promise rename after copyFile: fsync before the return',
    lang: 'esm',
    code: `import fs from 'node:fs';

export async function install(source, file) {
  await fs.promises.copyFile(source, file + '.tmp');
  return fs.promises.rename(file + '.tmp', file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 10,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import fs from 'node:fs';

export async function install(source, file) {
  await fs.promises.copyFile(source, file + '.tmp');
  {
    const handle = await fs.promises.open(file + '.tmp', 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  return fs.promises.rename(file + '.tmp', file);
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'rename as a declaration initialiser: fsync before the declaration',
    lang: 'cjs',
    code: `const fs = require('node:fs');

function install(source, file) {
  fs.copyFileSync(source, file + '.tmp');
  const result = fs.renameSync(file + '.tmp', file);
  return result;
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 18,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `const fs = require('node:fs');

function install(source, file) {
  fs.copyFileSync(source, file + '.tmp');
  {
    const fd = fs.openSync(file + '.tmp', 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  const result = fs.renameSync(file + '.tmp', file);
  return result;
}
`,
          },
        ],
      },
    ],
  },
  {
    name: "stream published on 'finish': flush would only sync at close, so fsync in the listener",
    lang: 'esm',
    code: `import fs from 'node:fs';

export function download(response, file, done) {
  const out = fs.createWriteStream(file + '.part');
  response.pipe(out);
  out.on('finish', () => fs.rename(file + '.part', file, done));
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 26,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import fs from 'node:fs';

export function download(response, file, done) {
  const out = fs.createWriteStream(file + '.part');
  response.pipe(out);
  out.on('finish', () => {
    {
      const fd = fs.openSync(file + '.part', 'r+');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    return fs.rename(file + '.part', file, done);
  });
}
`,
          },
        ],
      },
    ],
  },
  {
    name: "write and rename in different functions: fsync by the helper's path before the call",
    lang: 'esm',
    code: `import fs from 'node:fs';
const TMP = process.env.STATE + '.tmp';
function writeTemp(data) {
  fs.writeFileSync(TMP, data);
}
function publish() {
  fs.renameSync(TMP, process.env.STATE);
}
writeTemp(state);
publish();
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 10,
        column: 1,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import fs from 'node:fs';
const TMP = process.env.STATE + '.tmp';
function writeTemp(data) {
  fs.writeFileSync(TMP, data);
}
function publish() {
  fs.renameSync(TMP, process.env.STATE);
}
writeTemp(state);
{
  const fd = fs.openSync(TMP, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
publish();
`,
          },
        ],
      },
    ],
  },
  {
    name: 'methods of one class: FileHandle sync of this.tmp before the awaited helper',
    lang: 'ts',
    code: `import { writeFile, rename } from 'node:fs/promises';

export class Cache {
  tmp = '';
  file = '';
  async flush(data: string): Promise<void> {
    await this.writeTemp(data);
    await this.replace();
  }
  async writeTemp(data: string): Promise<void> {
    await writeFile(this.tmp, data);
  }
  replace(): Promise<void> {
    return rename(this.tmp, this.file);
  }
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 8,
        column: 11,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import { writeFile, rename, open } from 'node:fs/promises';

export class Cache {
  tmp = '';
  file = '';
  async flush(data: string): Promise<void> {
    await this.writeTemp(data);
    {
      const handle = await open(this.tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await this.replace();
  }
  async writeTemp(data: string): Promise<void> {
    await writeFile(this.tmp, data);
  }
  replace(): Promise<void> {
    return rename(this.tmp, this.file);
  }
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'rename helper in another function, CommonJS: the wrapper fixed in its body first, flush: true and a directory fsync at the caller next',
    lang: 'cjs',
    code: `const fs = require('fs');
function renameTmp(src, dst) {
  fs.renameSync(src, dst);
}
function save(dest, data) {
  const tmp = dest + '.tmp';
  fs.writeFileSync(tmp, data);
  renameTmp(tmp, dest);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 8,
        column: 3,
        suggestions: [
          {
            messageId: 'fsyncInWrapper',
            output: `const fs = require('fs');
const { dirname } = require('node:path');
function renameTmp(src, dst) {
  {
    const fd = fs.openSync(src, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  fs.renameSync(src, dst);
  if (process.platform !== 'win32') {
    // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
    const dirFd = fs.openSync(dirname(dst), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  }
}
function save(dest, data) {
  const tmp = dest + '.tmp';
  fs.writeFileSync(tmp, data);
  renameTmp(tmp, dest);
}
`,
          },
          {
            // The finding says renameTmp() renames onto its second argument: its directory is fsynced after it.
            messageId: 'addFlushAndDirectorySync',
            output: `const fs = require('fs');
const { dirname } = require('node:path');
function renameTmp(src, dst) {
  fs.renameSync(src, dst);
}
function save(dest, data) {
  const tmp = dest + '.tmp';
  fs.writeFileSync(tmp, data, { flush: true });
  renameTmp(tmp, dest);
  if (process.platform !== 'win32') {
    // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
    const dirFd = fs.openSync(dirname(dest), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  }
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a rename that can run before its unawaited write (earlier in a loop): flush: true would fsync too late, so no flush fix',
    lang: 'esm',
    options: [{ fixStyle: 'flush' }],
    code: `import { rename, writeFile } from 'node:fs/promises';

export async function saveAll(file, versions) {
  const tmp = file + '.tmp';
  for (const data of versions) {
    await rename(tmp, file);
    writeFile(tmp, data).then(() => {});
  }
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 11,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import { open, rename, writeFile } from 'node:fs/promises';

export async function saveAll(file, versions) {
  const tmp = file + '.tmp';
  for (const data of versions) {
    {
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await rename(tmp, file);
    writeFile(tmp, data).then(() => {});
  }
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a stream closed through the fs.close of its options, after the flush fsync',
    lang: 'cjs',
    code: `const fs = require('fs');
function save(tmp, dest, data) {
  const out = fs.createWriteStream(tmp, {
    fs: {
      ...fs,
      close(fd, cb) {
        fs.close(fd, (err) => (err ? cb(err) : fs.rename(tmp, dest, cb)));
      },
    },
  });
  out.end(data);
}
module.exports = { save };
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 7,
        column: 48,
        suggestions: [
          {
            messageId: 'addFlushAndDirectorySync',
            output: `const fs = require('fs');
const { dirname } = require('node:path');
function save(tmp, dest, data) {
  const out = fs.createWriteStream(tmp, {
    fs: {
      ...fs,
      close(fd, cb) {
        fs.close(fd, (err) => (err ? cb(err) : fs.rename(tmp, dest, (renameErr) => {
          if (renameErr || process.platform === 'win32') return cb(renameErr);
          // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
          fs.open(dirname(dest), 'r', (openErr, dirFd) => {
            if (openErr) return cb(openErr);
            fs.fsync(dirFd, (syncErr) => {
              fs.close(dirFd, (closeErr) => {
                cb(syncErr || closeErr);
              });
            });
          });
        })));
      },
    },
    flush: true,
  });
  out.end(data);
}
module.exports = { save };
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a rename that does not wait for the write callback: no flush fix, an fsync right before the rename',
    lang: 'cjs',
    code: `const fs = require('fs');
function later(file, data) {
  fs.writeFile(file + '.tmp', data, (err) => {
    if (err) throw err;
  });
  fs.renameSync(file + '.tmp', file);
}
module.exports = { later };
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 3,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `const fs = require('fs');
function later(file, data) {
  fs.writeFile(file + '.tmp', data, (err) => {
    if (err) throw err;
  });
  {
    const fd = fs.openSync(file + '.tmp', 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  fs.renameSync(file + '.tmp', file);
}
module.exports = { later };
`,
          },
        ],
      },
    ],
  },
  {
    name: "fslib renamePromise, flush style: fslib has no fsync and its options no flush, so xfs's OS descriptors are fsynced by Node's fsyncSync, the directory named by ppath.dirname (a PortablePath)",
    lang: 'ts',
    options: [{ fixStyle: 'flush' }],
    code: `import { xfs, type PortablePath } from '@yarnpkg/fslib';

export async function save(file: PortablePath, data: string): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await xfs.writeFilePromise(tmp, data);
  await xfs.renamePromise(tmp, file);
}
`,
    output: `import { xfs, type PortablePath, ppath } from '@yarnpkg/fslib';

import { fsyncSync } from 'node:fs';

export async function save(file: PortablePath, data: string): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await xfs.writeFilePromise(tmp, data);
  {
    const fd = xfs.openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      xfs.closeSync(fd);
    }
  }
  await xfs.renamePromise(tmp, file);
  if (process.platform !== 'win32') {
    // The rename survives a power loss once the directory is fsynced (Windows cannot open one).
    const dirFd = xfs.openSync(ppath.dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      xfs.closeSync(dirFd);
    }
  }
}
`,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 6,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: "fslib copyFilePromise and renamePromise: an fsync before the rename of xfs's descriptor, by Node's fsyncSync (fslib has none)",
    lang: 'ts',
    code: `import { xfs, type PortablePath } from '@yarnpkg/fslib';
export async function install(source: PortablePath, file: PortablePath): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await xfs.copyFilePromise(source, tmp);
  await xfs.renamePromise(tmp, file);
}
`,
    output: null,
    errors: [
      {
        messageId: 'unsyncedRename',
        line: 5,
        column: 9,
        suggestions: [
          {
            messageId: 'fsyncBeforeRename',
            output: `import { fsyncSync } from 'node:fs';

import { xfs, type PortablePath } from '@yarnpkg/fslib';
export async function install(source: PortablePath, file: PortablePath): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await xfs.copyFilePromise(source, tmp);
  {
    const fd = xfs.openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      xfs.closeSync(fd);
    }
  }
  await xfs.renamePromise(tmp, file);
}
`,
          },
        ],
      },
    ],
  },
];

const ruleTester = new RuleTester();

ruleTester.run('no-unsynced-rename (fixes)', rule as unknown as RuleModule<MessageId, [Options]>, {
  valid: [
    ...cases
      .filter((c) => c.output !== null)
      .map((c) => ({
        name: `fixed output of: ${c.name}`,
        code: c.output as string,
        options: c.options ?? [{}],
        ...languages[c.lang],
      })),
    // A suggestion must resolve the report it is offered for.
    ...cases.flatMap((c) =>
      (Array.isArray(c.errors) ? c.errors : []).flatMap((error) =>
        (Array.isArray(error.suggestions)
          ? (error.suggestions as ReadonlyArray<{ messageId: MessageId; output: string }>)
          : []
        ).map((suggestion, i) => ({
          name: `suggestion ${i + 1} (${suggestion.messageId}) of: ${c.name}`,
          code: suggestion.output,
          options: c.options ?? [{}],
          ...languages[c.lang],
        })),
      ),
    ),
  ],
  invalid: cases.map(({ lang, options, ...c }) => ({ ...c, options: options ?? [{}], ...languages[lang] })),
});
