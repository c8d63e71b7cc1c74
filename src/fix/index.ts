/**
 * What the rule offers for one finding: an autofix when the rewrite is provably the same program
 * apart from durability, and suggestions otherwise. Plain functions over ESTree and SourceCode,
 * shared by the rule and the codemod.
 */
import type { SourceCode } from 'eslint';
import type { UnsyncedRename } from '../detector.js';
import { flushEdit, flushStyleFix } from './flush.js';
import { fsyncBeforeClose, fsyncBeforeRename } from './fsync.js';
import { analyzeHelperRewrite } from './helper-rewrite.js';
import { fileStyleOf, type FileStyle } from './file-style.js';
import { ImportPlan } from './imports.js';
import type { TextEdit } from './text.js';

export type { TextEdit } from './text.js';

export type FixStyle = 'helper' | 'flush';

export interface FixOptions {
  /** Module the helper is imported from. */
  readonly importSource: string;
  readonly fixStyle: FixStyle;
  /**
   * Does `importSource` resolve where the file runs in production (a dependency of its package, or
   * a vendored copy)? When not, no fix or suggestion imports it: the autofix edits in place.
   */
  readonly helperResolves: boolean;
  /** The file being fixed: its extension and package decide its module system. */
  readonly filename: string;
}

export type SuggestionKind =
  'rewriteToHelper' | 'addFlush' | 'addFlushAndDirectorySync' | 'fsyncBeforeClose' | 'fsyncBeforeRename';

export interface Suggestion {
  readonly kind: SuggestionKind;
  /** Message data: `helper`, `write`, `rename` or `call`. */
  readonly data: Readonly<Record<string, string>>;
  readonly edits: readonly TextEdit[];
}

export interface FindingFixes {
  /** Edits for `--fix`, when provably safe. */
  readonly fix?: readonly TextEdit[];
  /** Offered when there is no autofix; at least one whenever some rewrite fits. */
  readonly suggestions: readonly Suggestion[];
}

/** Runs `build` with a fresh import plan and returns its edits plus the planned import edits. */
function withImports(
  sourceCode: SourceCode,
  style: FileStyle,
  build: (plan: ImportPlan) => readonly TextEdit[] | undefined,
): TextEdit[] | undefined {
  const plan = new ImportPlan(sourceCode, style);
  const edits = build(plan);
  return edits ? [...edits, ...plan.edits()] : undefined;
}

export function fixesFor(finding: UnsyncedRename, sourceCode: SourceCode, options: FixOptions): FindingFixes {
  const style = fileStyleOf(sourceCode, options.filename);
  const rewrite = options.fixStyle === 'helper' ? analyzeHelperRewrite(finding, sourceCode) : undefined;
  const rewriteEdits = rewrite && withImports(sourceCode, style, (plan) => rewrite.build(plan, options.importSource));
  if (rewrite?.provablySafe && rewriteEdits && options.helperResolves) return { fix: rewriteEdits, suggestions: [] };
  // A suggestion is applied as readily as a fix (the editor's quick fix, "Fix all"): one that imports
  // the helper where it would not resolve after `npm ci --omit=dev` is not offered; the in-place
  // edits below are.
  const toHelper: Suggestion[] =
    rewrite && rewriteEdits && options.helperResolves
      ? [{ kind: 'rewriteToHelper', data: { helper: rewrite.helper }, edits: rewriteEdits }]
      : [];
  if (options.fixStyle === 'flush' || rewrite?.provablySafe) {
    // The same durability with no new import: what `--fix` may write when the helper would not resolve.
    const fix = withImports(sourceCode, style, (plan) => flushStyleFix(sourceCode, plan, finding));
    if (fix) return { fix, suggestions: toHelper };
  }
  const suggestions: Suggestion[] = [...toHelper];
  // Without a helper rewrite (an injected fs, a `.then` with an error handler, a callback): the same
  // in-place edit as the codemod's, `flush: true` and a directory fsync after the rename.
  // Both edit the reported write only: no use when other writes reach the rename unsynced too.
  const several = (finding.otherWrites?.length ?? 0) > 0;
  const inPlace =
    toHelper.length === 0 && !several
      ? withImports(sourceCode, style, (plan) => flushStyleFix(sourceCode, plan, finding, 'any'))
      : undefined;
  // `flush: true` on every write that reaches the rename unsynced, or not at all: one of them left
  // alone keeps the report (and the rename unsafe).
  const flushes = [finding, ...(finding.otherWrites ?? []).map((w) => ({ ...finding, ...w }))].map((f) =>
    flushEdit(sourceCode, style, f),
  );
  const flush = flushes.every((e) => e !== undefined) ? (flushes as TextEdit[]) : undefined;
  if (inPlace)
    suggestions.push({
      kind: 'addFlushAndDirectorySync',
      data: { write: finding.writeName, rename: finding.renameName },
      edits: inPlace,
    });
  else if (flush) suggestions.push({ kind: 'addFlush', data: { write: finding.writeName }, edits: flush });
  let sync: { call: string; edits: TextEdit[] } | undefined;
  const syncEdits = several
    ? undefined
    : withImports(sourceCode, style, (plan) => (sync = fsyncBeforeClose(sourceCode, plan, finding))?.edits);
  if (sync && syncEdits) suggestions.push({ kind: 'fsyncBeforeClose', data: { call: sync.call }, edits: syncEdits });
  const syncBeforeRename = (at: UnsyncedRename): Suggestion | undefined => {
    let last: { call: string; edits: TextEdit[] } | undefined;
    const edits = withImports(sourceCode, style, (plan) => (last = fsyncBeforeRename(sourceCode, plan, at))?.edits);
    return last && edits ? { kind: 'fsyncBeforeRename', data: { call: last.call }, edits } : undefined;
  };
  const inner = finding.innerRename;
  // Else fsync before the rename; when nothing fits at a helper's call (`once('close',
  // handleClose(this))`), inside the helper right before its own rename, which makes every caller's
  // publication durable.
  const last =
    suggestions.length > 0
      ? undefined
      : (syncBeforeRename(finding) ??
        (inner && syncBeforeRename({ ...finding, rename: inner.call, renameMember: inner.member, file: inner.file })));
  return { suggestions: last ? [...suggestions, last] : suggestions };
}
