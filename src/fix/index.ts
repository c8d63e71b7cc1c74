/**
 * What the rule offers for one finding: an autofix when the rewrite is provably the same program
 * apart from durability, and suggestions otherwise. Plain functions over ESTree and SourceCode,
 * shared by the rule and the codemod.
 */
import type { SourceCode } from 'eslint';
import type { UnsyncedRename } from '../engine/detector.js';
import { ImportPlan } from './imports.js';
import { remedyContext, remediesFor, type Remedy, type RemedyKind } from './remedies.js';
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
  | 'rewriteToHelper'
  | 'addFlush'
  | 'addFlushAndDirectorySync'
  | 'fsyncBeforeClose'
  | 'fsyncInWrapper'
  | 'fsyncBeforeRename';

export interface Suggestion {
  readonly kind: SuggestionKind;
  /** Message data: `helper`, `write`, `rename` or `call`. */
  readonly data: Readonly<Record<string, string>>;
  /** Why the suggestion needs a maintainer's review (it may change what the program does), when it does. */
  readonly review?: string;
  readonly edits: readonly TextEdit[];
}

export interface FindingFixes {
  /** Edits for `--fix`, when provably safe. */
  readonly fix?: readonly TextEdit[];
  /** Offered when there is no autofix; at least one whenever some rewrite fits. */
  readonly suggestions: readonly Suggestion[];
}

/**
 * The rule's two policies over the list of remedies. The autofix: the helper rewrite where it is the
 * same program and the helper resolves; else, for `fixStyle: "flush"` or where that rewrite could not
 * be imported, the in-place edit where it is the same program. Suggestions, when there is no autofix:
 * the helper rewrite where the helper resolves (a suggestion is applied as readily as a fix: the
 * editor's quick fix, "Fix all"); the in-place edit or `flush: true` alone; an fsync before the close;
 * first of all, where the rename sits in the project's own wrapper, the fix of the wrapper's body;
 * and, when nothing else fits, an fsync right before the rename.
 */
export function fixesFor(finding: UnsyncedRename, sourceCode: SourceCode, options: FixOptions): FindingFixes {
  const context = remedyContext(sourceCode, options.filename);
  const remedies = remediesFor(finding, context);
  const of = (kind: RemedyKind): Remedy | undefined => remedies.find((r) => r.kind === kind && !r.blocker);
  const edits = (remedy: Remedy | undefined): TextEdit[] | undefined => {
    if (!remedy || (remedy.importsHelper && !options.helperResolves)) return undefined;
    const plan = new ImportPlan(sourceCode, context.style);
    const built = remedy.build(plan, options.importSource);
    return built ? [...built, ...plan.edits()] : undefined;
  };
  const suggestion = (remedy: Remedy | undefined): Suggestion[] => {
    const built = edits(remedy);
    if (!remedy || !built) return [];
    const review = remedy.safety === 'review' ? remedy.review : undefined;
    return [{ kind: remedy.kind as SuggestionKind, data: remedy.data, edits: built, ...(review ? { review } : {}) }];
  };

  const helper = options.fixStyle === 'helper' ? of('rewriteToHelper') : undefined;
  const helperFix = helper?.safety === 'same-program' ? edits(helper) : undefined;
  if (helperFix) return { fix: helperFix, suggestions: [] };
  const inPlace = of('addFlushAndDirectorySync');
  if (options.fixStyle === 'flush' || helper?.safety === 'same-program') {
    const fix = inPlace?.safety === 'same-program' ? edits(inPlace) : undefined;
    if (fix) return { fix, suggestions: [] };
  }
  const suggestions = suggestion(helper);
  const inPlaceSuggestion = suggestions.length === 0 ? suggestion(inPlace) : [];
  suggestions.push(...(inPlaceSuggestion.length > 0 ? inPlaceSuggestion : suggestion(of('addFlush'))));
  suggestions.push(...suggestion(of('fsyncBeforeClose')));
  // A wrapper is fixed in its body, for every caller, before anything at this one caller.
  const wrapper = suggestion(of('fsyncInWrapper'));
  if (wrapper.length > 0) return { suggestions: [...wrapper, ...suggestions] };
  if (suggestions.length === 0) suggestions.push(...suggestion(of('fsyncBeforeRename')));
  return { suggestions };
}
