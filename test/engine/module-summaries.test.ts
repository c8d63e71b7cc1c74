/**
 * Other modules' summaries made two ways (src/engine/module-summaries.ts): from the module's source
 * code made as ESLint's JavaScript language makes it, without a `Linter` run (module-source.ts), and
 * by a `Linter` run over the module, as every summary was made before. Every module of the rule
 * tests' fixture projects, with espree and with typescript-eslint's parser, has the same summary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter, type Rule } from 'eslint';
import * as espree from 'espree';
import tsParser from '@typescript-eslint/parser';
import { expect, it } from 'vitest';
import {
  MAX_HOPS,
  parsingOf,
  summariseParsed,
  summariseWithLinter,
  type ModuleParsing,
} from '../../src/engine/module-summaries.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'rules', 'fixtures');

/** What the rule hands module summaries when it lints a file with `languageOptions`. */
function parsingWith(languageOptions: Linter.LanguageOptions): ModuleParsing {
  let parsing: ModuleParsing | undefined;
  const rule: Rule.RuleModule = {
    create(context) {
      parsing = parsingOf(context);
      return {};
    },
  };
  new Linter({ configType: 'flat' }).verify(
    '',
    [{ files: ['**/*.ts'], languageOptions, plugins: { test: { rules: { rule } } }, rules: { 'test/rule': 'error' } }],
    { filename: 'file.ts' },
  );
  return parsing as ModuleParsing;
}

function modulesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.[cm]?[jt]s$/.test(name))
    .map((name) => path.join(dir, name))
    .sort();
}

const parsers = {
  espree: parsingWith({ parser: espree, ecmaVersion: 'latest' }),
  typescript: parsingWith({ parser: tsParser }),
};

it('a module summary is the same made without a Linter run as with one', () => {
  const modules = modulesUnder(fixtures);
  let summarised = 0;
  for (const file of modules) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [name, parsing] of Object.entries(parsers)) {
      const parsed = summariseParsed(text, file, parsing, MAX_HOPS);
      expect(parsed, `${name}: ${path.relative(fixtures, file)}`).not.toBeUndefined();
      expect(parsed, `${name}: ${path.relative(fixtures, file)}`).toEqual(
        summariseWithLinter(text, file, parsing, MAX_HOPS),
      );
      if (parsed && Object.keys(parsed.exports).length > 0) summarised++;
    }
  }
  // Not a comparison of empty summaries: most fixture modules export helpers the engine summarises.
  expect(modules.length).toBeGreaterThan(50);
  expect(summarised).toBeGreaterThan(60);
});

it('a module without a script extension (a `main` of `bin/cli`) has no summary either way', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-module-'));
  const file = path.join(dir, 'cli');
  const text = "const fs = require('fs');\nexports.save = (file) => fs.renameSync(file + '.tmp', file);\n";
  fs.writeFileSync(file, text);
  try {
    expect(summariseWithLinter(text, file, parsers.espree, MAX_HOPS)).toBeNull();
    expect(summariseParsed(text, file, parsers.espree, MAX_HOPS)).toBeNull();
    // The same text in a `.js` file is summarised.
    expect(summariseParsed(text, `${file}.js`, parsers.espree, MAX_HOPS)?.exports).toHaveProperty('save');
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});
