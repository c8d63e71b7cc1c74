// The real-code corpus shared by `check:corpus` and `bench:lint`: the project's own node_modules
// plus the pinned packages of test/corpus, installed into .scratch/lint-corpus (never committed).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const corpusDir = path.join(root, '.scratch', 'lint-corpus');
const extensions = new Set(['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts']);

/** Installs the pinned corpus from its lockfile unless it is already there. */
export function ensureCorpus() {
  const marker = path.join(corpusDir, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'test', 'corpus', 'package-lock.json');
  if (fs.existsSync(marker) && fs.readFileSync(path.join(corpusDir, 'package-lock.json'), 'utf8') === fs.readFileSync(lock, 'utf8')) {
    return corpusDir;
  }
  fs.mkdirSync(corpusDir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(root, 'test', 'corpus', f), path.join(corpusDir, f));
  console.error('installing the lint corpus (test/corpus) into .scratch/lint-corpus …');
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: corpusDir, stdio: 'inherit' });
  return corpusDir;
}

/**
 * Every JS/TS source file under `dirs`, sorted, skipping files larger than `maxBytes`. Declaration
 * files (`.d.ts`) hold no statements the rule could report and are skipped unless asked for.
 */
export function listSourceFiles(dirs, { maxBytes = 1_000_000, declarations = false } = {}) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (
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
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return { parser: tsParser, sourceType: 'module', ecmaVersion: 'latest' };
  return { sourceType: sourceType ?? (ext === '.cjs' ? 'commonjs' : 'module'), ecmaVersion: 'latest' };
}
