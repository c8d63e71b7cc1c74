/**
 * A temporary copy of a project with a fix applied, for the checks that need files on disk (the
 * project's own `tsc` for `--typecheck` on TypeScript 7, the user's `--verify-command`): the project
 * itself is never written before the checks pass.
 *
 * A copy rather than `git worktree add`: a worktree has only committed files, so uncommitted work
 * (`--force`) and ignored build output a test needs would be missing, and it has no `node_modules`.
 * Every `node_modules` directory, at any depth, becomes a directory of links: an entry that is a
 * symlink is copied as the same link (a workspace package linked by a relative path, as npm, Yarn
 * and pnpm link them, then resolves to the copy's rewritten package, not the original), any other
 * entry links to the original. `.git` is left out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onExitOrInterrupt } from './on-exit.js';

export interface ScratchCopy {
  /** The copy of `root`. */
  readonly dir: string;
  /** Where `file` (a path under `root`) is in the copy. */
  at(file: string): string;
  /** Removes the copy; safe to call twice. */
  remove(): void;
}

/** Copies not yet removed, removed if this process exits or is interrupted first. */
const live = new Set<string>();
let exitHooked = false;

const isInside = (root: string, file: string): boolean => {
  const relative = path.relative(root, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
};

/** The entries of the `node_modules` directory `source` (in `root`), recreated as links in `target`. */
function linkModules(root: string, source: string, target: string): void {
  if (fs.lstatSync(source).isSymbolicLink()) {
    fs.symlinkSync(fs.realpathSync(source), target);
    return;
  }
  fs.mkdirSync(target);
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isSymbolicLink()) {
      const link = fs.readlinkSync(from);
      const resolved = path.resolve(source, link);
      fs.symlinkSync(!path.isAbsolute(link) && isInside(root, resolved) ? link : resolved, to);
    } else if (entry.isDirectory() && entry.name.startsWith('@')) linkModules(root, from, to);
    else fs.symlinkSync(from, to);
  }
}

/** A copy of `root` with `changes` (absolute path → new text) written into it. */
export function scratchCopy(root: string, changes: ReadonlyMap<string, string>, purpose: string): ScratchCopy {
  const resolvedRoot = path.resolve(root);
  const outside = [...changes.keys()].find((file) => !isInside(resolvedRoot, path.resolve(file)));
  if (outside) throw new Error(`${outside} is outside ${resolvedRoot}, the project copied to ${purpose}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-scratch-'));
  const remove = (): void => {
    live.delete(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  if (!exitHooked) {
    exitHooked = true;
    onExitOrInterrupt(() => live.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  }
  live.add(dir);
  const at = (file: string): string => path.join(dir, path.relative(resolvedRoot, path.resolve(file)));
  try {
    const modules: string[] = [];
    fs.cpSync(resolvedRoot, dir, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => {
        const name = path.basename(source);
        if (name === '.git') return false;
        if (name !== 'node_modules') return true;
        modules.push(source);
        return false;
      },
    });
    for (const source of modules) linkModules(resolvedRoot, source, at(source));
    for (const [file, text] of changes) {
      fs.mkdirSync(path.dirname(at(file)), { recursive: true });
      fs.writeFileSync(at(file), text);
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, at, remove };
}
