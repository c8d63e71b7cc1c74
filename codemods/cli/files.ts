/** Which files a command looks at: git's view of the paths given, or a walk outside a repository. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isDeclarationFile } from '../engine.js';

const sourceExtensions = new Set(['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts']);

/** A JS/TS source file the rule can report in (not a declaration file, not under node_modules). */
export const isSourceFile = (file: string): boolean =>
  sourceExtensions.has(path.extname(file)) && !isDeclarationFile(file) && !file.split(/[\\/]/).includes('node_modules');

/** git's output, or undefined outside a work tree (or without git). */
export function git(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
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
    for (const entry of fs.readdirSync(p)) if (entry !== 'node_modules' && !entry.startsWith('.')) walk(path.join(p, entry));
  };
  for (const p of paths) walk(path.resolve(cwd, p));
  return files.sort();
}
