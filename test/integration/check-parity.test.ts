/**
 * `durable-write check` and `eslint` with the rule must report the same sites, file by file: the
 * CLI may skip a file only when the rule's own gate would leave it (src/engine/detector.ts). Inputs: the
 * examples, the rule's fixture projects, and both evaluation sets where they are on disk
 * (`node scripts/fetch-eval-corpus.js` fetches set 1 from npm; set 2 needs git mirrors for most of
 * its projects, see scripts/fetch-eval-sources.js, and only complete projects are compared).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { corpusDir, packageDirName, readPackages } from '../../scripts/fetch-eval-corpus.js';
import { projectDirName, readSources, sourcesDir } from '../../scripts/fetch-eval-sources.js';
import { repositoryRoot as root } from '../installed/consumer.js';

const sourceFile = /\.(?:[cm]?[jt]sx?)$/;
const isDeclaration = (file: string): boolean => /\.d\.[cm]?ts$/.test(file);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : sourceFile.test(name) && !isDeclaration(name) ? [full] : [];
  });
}

interface Site {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}
const siteKey = (s: Site): string =>
  `${relative(root, s.file)}:${s.line}:${s.column}-${String(s.endLine)}:${String(s.endColumn)}`;

/** What a user's `eslint` reports: the recommended config, the TS parser, `.js` that is not a module linted as CommonJS. */
async function eslintSites(files: readonly string[], cwd: string): Promise<string[]> {
  const config = (commonjs: boolean): Linter.Config[] => [
    { files: ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'] },
    { files: ['**/*.jsx', '**/*.js', '**/*.tsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
    {
      files: commonjs ? ['**/*.cjs', '**/*.js', '**/*.jsx'] : ['**/*.cjs'],
      languageOptions: { sourceType: 'commonjs' },
    },
    { files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], languageOptions: { parser: tsParser as Linter.Parser } },
    { linterOptions: { reportUnusedDisableDirectives: 'off' } },
    plugin.configs.recommended as Linter.Config,
  ];
  const lint = (commonjs: boolean, list: readonly string[]): Promise<ESLint.LintResult[]> =>
    new ESLint({ cwd, overrideConfigFile: true, overrideConfig: config(commonjs), ignore: false }).lintFiles([...list]);
  const results = await lint(false, files);
  const unparsed = results
    .filter((r) => /\.jsx?$/.test(r.filePath) && r.messages.some((m) => m.fatal))
    .map((r) => r.filePath);
  const retried = unparsed.length ? await lint(true, unparsed) : [];
  const byFile = new Map([...results, ...retried].map((r) => [r.filePath, r]));
  return [...byFile.values()]
    .flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'durable-write/no-unsynced-rename')
        .map((m) => siteKey({ ...m, file: r.filePath })),
    )
    .sort();
}

const work = mkdtempSync(join(tmpdir(), 'durable-write-parity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function checkSites(files: readonly string[], cwd: string): string[] {
  const list = join(work, 'files.txt');
  writeFileSync(list, files.join('\n'));
  let stdout: string;
  try {
    stdout = execFileSync(
      process.execPath,
      [join(root, 'dist/codemods/cli.js'), 'check', '--format', 'json', '--files-from', list],
      { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    if (failed.status !== 1) throw error;
    stdout = failed.stdout;
  }
  const report = JSON.parse(stdout) as { findings: Site[] };
  return report.findings.map((f) => siteKey({ ...f, file: resolve(cwd, f.file) })).sort();
}

/** The shape the text gate once missed: the rename is in an imported helper whose name says nothing of it. */
function importedHelperProject(): string[] {
  const dir = join(work, 'imported-helper');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(dir, 'publish.js'),
    "import fs from 'node:fs';\nexport function publish(from, to) {\n  fs.renameSync(from, to);\n}\n",
  );
  writeFileSync(
    join(dir, 'save.js'),
    "import fs from 'node:fs';\nimport { publish } from './publish.js';\nexport function save(dest, data) {\n  const tmp = dest + '.tmp';\n  fs.writeFileSync(tmp, data);\n  publish(tmp, dest);\n}\n",
  );
  return [join(dir, 'publish.js'), join(dir, 'save.js')];
}

/**
 * `cwd` is where both run: cross-module summaries read only modules under ESLint's cwd, so a project
 * outside the repository is linted from its own directory, as its user would.
 */
const inputs: Array<{ name: string; files: () => string[]; findings?: boolean; cwd?: string }> = [
  { name: 'examples', files: () => walk(join(root, 'examples')), findings: true },
  {
    name: 'a rename through an imported helper (publish from ./publish.js)',
    files: importedHelperProject,
    findings: true,
    cwd: join(work, 'imported-helper'),
  },
  { name: 'rule fixture projects', files: () => walk(join(root, 'test/rules/fixtures')) },
  {
    name: 'evaluation set 1 (published packages)',
    files: () =>
      readPackages().flatMap((p) => p.files.map((f) => join(corpusDir, packageDirName(p.name, p.version), f))),
  },
  {
    name: 'evaluation set 2 (pinned sources, complete projects)',
    files: () =>
      readSources()
        .projects.map((p) => p.files.map((f) => join(sourcesDir, projectDirName(p), f)))
        .filter((files) => files.every((f) => existsSync(f)))
        .flat(),
  },
];

describe('durable-write check reports what eslint reports', () => {
  for (const input of inputs) {
    it(input.name, async (context) => {
      const files = input.files().filter((f) => existsSync(f));
      if (files.length === 0) context.skip(`${input.name}: not on disk`);
      const cwd = input.cwd ?? root;
      const fromEslint = await eslintSites(files, cwd);
      expect(checkSites(files, cwd)).toEqual(fromEslint);
      // Inputs known to have findings: an empty comparison there would prove nothing.
      if (input.findings) expect(fromEslint.length).toBeGreaterThan(0);
    });
  }
});
