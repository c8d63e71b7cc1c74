/** Which files a command looks at: git's view of the paths given, or a walk outside a repository. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isDeclarationFile } from '../engine.js';
import { UsageError } from './command.js';

const sourceExtensions = new Set(['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts']);

/** A JS/TS source file the rule can report in (not a declaration file, not under node_modules). */
export const isSourceFile = (file: string): boolean =>
  sourceExtensions.has(path.extname(file)) && !isDeclarationFile(file) && !file.split(/[\\/]/).includes('node_modules');

/** git's output, or undefined outside a work tree (or without git). */
export function git(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 28,
    });
  } catch {
    return undefined;
  }
}

/** JS/TS files under `paths`: git's view (tracked + untracked, minus ignored) in a repo, else a walk. */
export function listFiles(paths: readonly string[], cwd: string): string[] {
  const listed = git(cwd, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...paths]);
  if (listed !== undefined) {
    return [...new Set(listed.split('\0').filter(Boolean))]
      .map((f) => path.resolve(cwd, f))
      .filter((f) => isSourceFile(f) && fs.existsSync(f))
      .sort();
  }
  const files: string[] = [];
  const walk = (p: string): void => {
    const stat = fs.statSync(p);
    if (stat.isFile()) {
      if (isSourceFile(p)) files.push(p);
      return;
    }
    for (const entry of fs.readdirSync(p))
      if (entry !== 'node_modules' && !entry.startsWith('.')) walk(path.join(p, entry));
  };
  for (const p of paths) walk(path.resolve(cwd, p));
  return files.sort();
}

/** The git work tree's root, or `cwd` outside one. */
export const rootOf = (cwd: string): string => git(cwd, ['rev-parse', '--show-toplevel'])?.trim() || cwd;

export interface Selection {
  /** Paths given on the command line; each must exist. Default `.`. */
  readonly paths: readonly string[];
  /** `--changed [REV]`: only files changed since REV's merge base with HEAD, plus untracked ones. */
  readonly changed?: string;
  /** `--files-from <file|->`: a list of files, one a line (or NUL-separated); missing ones are skipped. */
  readonly filesFrom?: string;
  /** `--shard i/n`. */
  readonly shard?: Shard;
}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n, got ${JSON.stringify(value)}`);
  return { index, count };
}

/**
 * Shard `i` of `n`: every n-th file of the list sorted by path relative to the root, starting at
 * the i-th, so the shards are disjoint, cover every file, and agree on every machine.
 */
export function shardOf(files: readonly string[], shard: Shard, root: string): string[] {
  const keyed = files.map((file) => ({ file, key: path.relative(root, file).split(path.sep).join('/') }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.filter((_, i) => i % shard.count === shard.index - 1).map((k) => k.file);
}

/** Files changed since `rev`'s merge base with HEAD (committed, staged or not), plus untracked files. */
function changedFiles(rev: string, cwd: string): string[] {
  const root = git(cwd, ['rev-parse', '--show-toplevel'])?.trim();
  if (!root) throw new UsageError('--changed needs a git work tree');
  if (git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]) === undefined)
    throw new UsageError(`--changed: ${JSON.stringify(rev)} is not a git revision`);
  const base = git(cwd, ['merge-base', rev, 'HEAD'])?.trim() || rev;
  const diff = git(root, ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', base, '--']) ?? '';
  const untracked = git(root, ['ls-files', '-z', '--others', '--exclude-standard']) ?? '';
  return [...new Set([...diff.split('\0'), ...untracked.split('\0')].filter(Boolean))].map((f) =>
    path.resolve(root, f),
  );
}

const readList = (source: string, cwd: string): string[] => {
  let text: string;
  try {
    text = fs.readFileSync(source === '-' ? 0 : path.resolve(cwd, source), 'utf8');
  } catch (error) {
    throw new UsageError(`--files-from ${source}: ${(error as Error).message}`);
  }
  return text
    .split(text.includes('\0') ? '\0' : /\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((f) => path.resolve(cwd, f));
};

const isUnder = (file: string, dir: string): boolean =>
  file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/**
 * The files a command looks at, sorted. A path that does not exist, or a directory with no JS/TS
 * file in it, is a usage error; lists (`--changed`, `--files-from`) may be empty.
 */
export function selectFiles(selection: Selection, cwd: string): string[] {
  const paths = selection.paths.length ? selection.paths : ['.'];
  for (const p of paths)
    if (!fs.existsSync(path.resolve(cwd, p))) throw new UsageError(`${p}: no such file or directory`);
  let files: string[];
  if (selection.changed !== undefined || selection.filesFrom !== undefined) {
    const listed = [
      ...(selection.changed !== undefined ? changedFiles(selection.changed, cwd) : []),
      ...(selection.filesFrom !== undefined ? readList(selection.filesFrom, cwd) : []),
    ];
    const dirs = paths.map((p) => fs.realpathSync(path.resolve(cwd, p)));
    files = [...new Set(listed)]
      .filter((f) => isSourceFile(f) && fs.existsSync(f) && dirs.some((d) => isUnder(fs.realpathSync(f), d)))
      .sort();
  } else {
    files = listFiles(paths, cwd);
    for (const p of paths) {
      const full = path.resolve(cwd, p);
      if (fs.statSync(full).isDirectory() && !files.some((f) => isUnder(f, full)))
        throw new UsageError(`${p}: no JS/TS files to check there (node_modules and .gitignored files are skipped)`);
    }
  }
  return selection.shard ? shardOf(files, selection.shard, rootOf(cwd)) : files;
}
