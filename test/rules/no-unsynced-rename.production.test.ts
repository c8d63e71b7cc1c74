/**
 * The autofix imports the runtime package only where that import resolves after
 * `npm ci --omit=dev`: a dependency of the nearest package.json, or a vendored (relative) copy.
 * Elsewhere `--fix` makes the pair durable in place and the helper rewrite is a suggestion.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import type { Parser } from '@typescript-eslint/utils/ts-eslint';
import rule from '../../rules/no-unsynced-rename.js';

const espree = createRequire(import.meta.url)('espree') as Parser.LooseParserModule;
const fixtures = path.join(import.meta.dirname, 'fixtures');
const languageOptions = { parser: espree, parserOptions: { ecmaVersion: 'latest' as const, sourceType: 'module' as const } };

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
      name: 'only a devDependency: durable in place, the helper only suggested',
      filename: path.join(fixtures, 'dev-only', 'save.mjs'),
      languageOptions,
      code,
      output: inPlace,
      errors: [
        {
          messageId: 'unsyncedRename',
          suggestions: [{ messageId: 'rewriteToHelper', data: { helper: 'writeFileDurableSync' }, output: helperOutput('durable-write-runtime') }],
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
