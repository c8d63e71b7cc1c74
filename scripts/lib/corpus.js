// The real-code corpus shared by `check:corpus` and `bench:lint`: the project's own node_modules
// plus the pinned packages of test/corpus, installed into .scratch/lint-corpus (never committed).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const corpusDir = path.join(root, '.scratch', 'lint-corpus');
const extensions = new Set(['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts']);

/**
 * The largest bundles published on npm, linted whole by `check:corpus` (the file walk skips files
 * over 1 MB). They find what small files cannot: recursion or argument spreading that grows with
 * the file (pnpm's bundle overflowed the stack in the rule) and work per finding over the whole
 * file. Their packages are pinned in test/corpus and are here for these files only.
 */
export const BUNDLES = [
  'pnpm/dist/pnpm.cjs',
  'typescript/lib/typescript.js',
  'typescript/lib/_tsc.js',
  'webpack/lib/javascript/syntax-printer.js',
  'next/dist/compiled/webpack/bundle5.js',
  'next/dist/compiled/babel/bundle.js',
  'next/dist/compiled/next-server/app-page.runtime.dev.js',
  'esbuild/install.js',
  'esbuild/lib/main.js',
];
const BUNDLE_ONLY_PACKAGES = ['pnpm', 'typescript', 'next', 'esbuild'];

/** Absolute paths of {@link BUNDLES} in the installed corpus; throws if one is missing. */
export function bundlePaths(corpus) {
  return BUNDLES.map((bundle) => {
    const file = path.join(corpus, 'node_modules', bundle);
    if (!fs.existsSync(file))
      throw new Error(`corpus bundle missing: ${bundle} (was its pinned version in test/corpus changed?)`);
    return file;
  });
}

/** Directories of the corpus that hold packages installed for their bundles only. */
export function bundleOnlyDirs(corpus) {
  return BUNDLE_ONLY_PACKAGES.map((name) => path.join(corpus, 'node_modules', name));
}

/** Installs the pinned corpus from its lockfile unless it is already there. */
export function ensureCorpus() {
  const marker = path.join(corpusDir, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'test', 'corpus', 'package-lock.json');
  if (
    fs.existsSync(marker) &&
    fs.readFileSync(path.join(corpusDir, 'package-lock.json'), 'utf8') === fs.readFileSync(lock, 'utf8')
  ) {
    return corpusDir;
  }
  fs.mkdirSync(corpusDir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(root, 'test', 'corpus', f), path.join(corpusDir, f));
  console.error('installing the lint corpus (test/corpus) into .scratch/lint-corpus …');
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: corpusDir,
    stdio: 'inherit',
  });
  return corpusDir;
}

/**
 * Every JS/TS source file under `dirs`, sorted, skipping files larger than `maxBytes` and the
 * directories in `exclude`. Declaration files (`.d.ts`) hold no statements the rule could report
 * and are skipped unless asked for.
 */
export function listSourceFiles(dirs, { maxBytes = 1_000_000, declarations = false, exclude = [] } = {}) {
  const files = [];
  const excluded = new Set(exclude);
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!excluded.has(full)) walk(full);
      } else if (
        entry.isFile() &&
        extensions.has(path.extname(entry.name)) &&
        (declarations || !/\.d\.[cm]?ts$/.test(entry.name)) &&
        fs.statSync(full).size <= maxBytes
      ) {
        files.push(full);
      }
    }
  };
  for (const dir of dirs) walk(dir);
  return files.sort();
}

/** Language options for a file by its extension; `.js` is tried as a module first, then as a script. */
export function languageOptionsFor(file, tsParser, sourceType) {
  const ext = path.extname(file);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts')
    return { parser: tsParser, sourceType: 'module', ecmaVersion: 'latest' };
  return { sourceType: sourceType ?? (ext === '.cjs' ? 'commonjs' : 'module'), ecmaVersion: 'latest' };
}
