/**
 * When a module's source code cannot be made as the host ESLint makes it (src/engine/module-source.ts:
 * its eslint-scope does not resolve, or the analysis throws), the module is summarised by a `Linter`
 * run as before: cross-module findings stay.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import * as espree from 'espree';
import { afterAll, beforeEach, expect, it, vi } from 'vitest';

/** What `require('eslint-scope')` from ESLint's directory gives in this test. */
let eslintScope: 'missing' | 'throwing' | 'real' = 'real';

vi.mock('node:module', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:module')>();
  const createRequire = (from: string | URL): NodeJS.Require => {
    const real = original.createRequire(from);
    const wrapped = ((id: string): unknown => {
      if (id !== 'eslint-scope' || eslintScope === 'real') return real(id);
      if (eslintScope === 'missing')
        throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return {
        analyze: () => {
          throw new Error('analysis failed');
        },
      };
    }) as NodeJS.Require;
    return Object.assign(wrapped, {
      resolve: real.resolve,
      cache: real.cache,
      main: real.main,
      extensions: real.extensions,
    });
  };
  return { ...original, createRequire, default: { ...original, createRequire } };
});

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'rules', 'fixtures', 'cross-module');
const appFile = path.join(fixtures, 'cjs', 'app.js');
// A helper module renders files into the folder it is given; the caller renames one of them.
const app = `
const fs = require('fs');
const path = require('path');
const { renderTemplates } = require('./utils/render-templates.js');
module.exports = () =>
  prompt().then((answers) => {
    const dest = path.resolve(process.cwd(), 'pages', answers.page);
    return renderTemplates({ from: path.join(__dirname, 'templates'), to: dest, locals: answers }).then(() => {
      fs.renameSync(path.join(dest, 'index_nodata.tsx'), path.join(dest, 'index.tsx'));
    });
  });`;

beforeEach(() => {
  // A fresh engine (its module cache, and which scope analysis it found) for each case.
  vi.resetModules();
});

// This file shares its worker with other files (the in-process project is not isolated): whichever case
// ran last, the files after it get the real eslint-scope and an engine that has not cached a broken one.
afterAll(() => {
  eslintScope = 'real';
  vi.resetModules();
});

async function lintApp(): Promise<{ lines: number[]; parsed: unknown }> {
  const { default: plugin } = await import('../../src/index.js');
  const { parsingOf, summariseParsed } = await import('../../src/engine/module-summaries.js');
  let parsed: unknown;
  const probe = {
    create(context: Parameters<typeof parsingOf>[0]) {
      const helper = path.join(fixtures, 'cjs', 'utils', 'render-templates.js');
      parsed = summariseParsed('module.exports = function f() {};', helper, parsingOf(context), 1);
      return {};
    },
  };
  const messages = new Linter({ configType: 'flat' }).verify(
    app,
    [
      {
        files: ['**/*.js'],
        languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' },
        plugins: { 'durable-write': plugin as never, probe: { rules: { probe } } },
        rules: { 'durable-write/no-unsynced-rename': 'error', 'probe/probe': 'error' },
      },
    ],
    { filename: appFile },
  );
  return { lines: messages.map((m) => m.line), parsed };
}

it('finds what the helper module does by a Linter run when eslint-scope does not resolve from ESLint', async () => {
  eslintScope = 'missing';
  const { lines, parsed } = await lintApp();
  expect(parsed).toBeUndefined();
  expect(lines).toEqual([9]);
});

it('finds what the helper module does by a Linter run when the scope analysis throws', async () => {
  eslintScope = 'throwing';
  const { lines, parsed } = await lintApp();
  expect(parsed).toBeUndefined();
  expect(lines).toEqual([9]);
});

it('makes the helper module source code itself when ESLint’s scope analysis resolves', async () => {
  eslintScope = 'real';
  const { lines, parsed } = await lintApp();
  expect(parsed).not.toBeUndefined();
  expect(lines).toEqual([9]);
});
