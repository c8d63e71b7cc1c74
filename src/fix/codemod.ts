/**
 * The codemod's plan for one file: every finding of the detector becomes either a rewrite to the
 * durable helper or a site left for review with the reason. All rewrites of a file share one
 * import plan, so helper imports merge and an fs import goes only when no rewrite left a use of it.
 * Wider than the autofix: `.then` chains, callbacks and descriptor/FileHandle sequences, each under
 * conditions that keep the program's callback and promise behaviour.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import type { UnsyncedRename } from '../engine/detector.js';
import { isPlainRename } from '../fs-api.js';
import { callsRealFs, isTableMember } from './calls.js';
import { runtimeLayerDifferences, vendoredLayerDifferences } from './helper-rewrite.js';
import { calleeName } from '../engine/file-key.js';
import { ImportPlan } from './imports.js';
import { remedyContext, remediesFor, type Remedy, type RewriteShape } from './remedies.js';
import { parentOf, type TextEdit } from './text.js';

export type { RewriteShape } from './remedies.js';

export interface CodemodSite {
  readonly line: number;
  readonly column: number;
  /** `rename` and `write` as the API names them. */
  readonly rename: string;
  readonly write: string;
  readonly status: 'rewritten' | 'review';
  readonly shape?: RewriteShape;
  readonly reason?: string;
  /** For rewritten sites: what still behaves differently (listed in the fix summary). */
  readonly differences?: readonly string[];
  /** The finding's rename range, for tools that map sites back to nodes. */
  readonly range: readonly [number, number];
  /**
   * First and last line of the function (or program) around the site: a rewrite stays inside it;
   * for a wrapper's fix, the wrapper's lines.
   */
  readonly enclosing: readonly [number, number];
}

export interface CodemodPlan {
  readonly sites: readonly CodemodSite[];
  /** Non-overlapping edits of the original text. */
  readonly edits: readonly TextEdit[];
}

/** `write(…).then(() => rename(…), onError)`: the rename as a `.then` handler with an error handler beside it. */
function thenWithErrorHandler(finding: UnsyncedRename): boolean {
  const handler = parentOf(finding.rename);
  const then = handler && parentOf(handler);
  if (handler?.type !== 'ArrowFunctionExpression' || handler.body !== finding.rename || then?.type !== 'CallExpression')
    return false;
  const member = then.callee;
  return (
    then.arguments.length === 2 &&
    then.arguments[0] === handler &&
    member.type === 'MemberExpression' &&
    member.object === finding.write &&
    calleeName(member) === 'then'
  );
}

/**
 * The codemod's policy over the list of remedies: the descriptor sequence or the helper rewrite
 * where one fits the site's shape (a blocked or doubtful one leaves the site for review). In place
 * only where the helper must not take over but the edit makes the write durable: an injected file
 * system (the helper would bypass it), and `write(tmp).then(() => rename(tmp, dest), onError)`, where
 * `onError` sees the write's failures and not the rename's (one helper call cannot keep them apart).
 * Where the rename sits in the project's own wrapper and no rewrite fits, the wrapper's body is fixed
 * rather than this caller: one fix for every caller.
 */
function remedyFor(finding: UnsyncedRename, sourceCode: SourceCode, remedies: readonly Remedy[]): Remedy | string {
  const rewrite = remedies.find((r) => r.kind === 'rewriteSequence' || r.kind === 'rewriteToHelper');
  if (rewrite) return rewrite;
  const { writeMember } = finding;
  const inPlace =
    isTableMember(writeMember) &&
    !!writeMember.wholeFile &&
    (injected(finding, sourceCode) || thenWithErrorHandler(finding)) &&
    remedies.find((r) => (r.kind === 'addFlushAndDirectorySync' || r.kind === 'addFlush') && !r.blocker);
  const inWrapper = remedies.find((r) => r.kind === 'fsyncInWrapper' && !r.blocker);
  return inWrapper || inPlace || reasonWithoutRewrite(finding, sourceCode);
}

const injected = (finding: UnsyncedRename, sourceCode: SourceCode): boolean =>
  !callsRealFs(sourceCode, finding.write as ESTree.CallExpression) || !callsRealFs(sourceCode, finding.rename);

/** Why no rewrite applies at all, from what the finding says about the calls. */
function reasonWithoutRewrite(finding: UnsyncedRename, sourceCode: SourceCode): string {
  const { writeMember, renameMember } = finding;
  // Wrappers come from the rule options or from this file's own functions: say what they are, not where from.
  if (!isTableMember(writeMember) && !isTableMember(renameMember))
    return `${finding.writeName}() and ${finding.renameName}() are functions around fs calls (the project's own, or named in the rule options); the codemod rewrites fs calls only`;
  if (!isTableMember(renameMember))
    return `${finding.renameName}() renames through a function (the project's own, or one the rule options name), not an fs call the codemod rewrites`;
  if (!isPlainRename(renameMember)) return `${finding.renameName}() is not fs.rename (it may copy across devices)`;
  if (writeMember.kind === 'stream')
    return 'the file is written through a stream; add flush: true or fsync before close';
  if (!isTableMember(writeMember))
    return `${finding.writeName}() writes through a function (the project's own, or one the rule options name), not an fs call the codemod rewrites`;
  if (injected(finding, sourceCode)) {
    return 'the file system is injected or aliased (this.fs, a parameter): the helper would bypass it; fsync in place (the rule suggests how)';
  }
  if (!writeMember.wholeFile) return `${finding.writeName}() does not write the whole file in one call`;
  return 'the write and the rename are not in a shape the codemod rewrites (nested, mixed sync and async, or spread arguments)';
}

const overlaps = (a: TextEdit, b: TextEdit): boolean =>
  a.range[0] < b.range[1] && b.range[0] < a.range[1]
    ? true
    : a.range[0] === a.range[1] && b.range[0] === b.range[1] && a.range[0] === b.range[0];

const sameEdit = (a: TextEdit, b: TextEdit): boolean =>
  a.range[0] === b.range[0] && a.range[1] === b.range[1] && a.text === b.text;

const overlapsAny = (edits: readonly TextEdit[], taken: readonly TextEdit[]): boolean =>
  edits.some((e) => taken.some((t) => overlaps(e, t)));

export interface CodemodOptions {
  readonly importSource: string;
  readonly filename: string;
  /** The helper is a vendored copy (`fix --vendor`), which has none of the runtime package's extra layers. */
  readonly vendored?: boolean;
}

export function planCodemod(
  findings: readonly UnsyncedRename[],
  sourceCode: SourceCode,
  options: CodemodOptions,
): CodemodPlan {
  const context = remedyContext(sourceCode, options.filename);
  const { style } = context;
  const plan = new ImportPlan(sourceCode, style);
  const taken: TextEdit[] = [];
  const sites: CodemodSite[] = [];
  for (const finding of findings) {
    const start = finding.rename.loc?.start ?? { line: 0, column: 0 };
    const site = {
      line: start.line,
      column: start.column + 1,
      rename: finding.renameName,
      write: finding.writeName,
      range: finding.rename.range as [number, number],
      enclosing: enclosingLines(finding.rename),
    };
    const candidate = remedyFor(finding, sourceCode, remediesFor(finding, context));
    const review = (reason: string): void => void sites.push({ ...site, status: 'review', reason });
    if (typeof candidate === 'string') review(candidate);
    else if (candidate.blocker ?? candidate.review) review((candidate.blocker ?? candidate.review) as string);
    else {
      // A dry build on a throwaway plan first: a site whose edits collide with another's stays as is,
      // and must not leave imports planned in the shared plan.
      const trial = candidate.build(new ImportPlan(sourceCode, style), options.importSource);
      if (!trial && style.module === 'unknown')
        review(
          "the file's module system is unclear (no import, export or require; a UMD wrapper): import the helper by hand",
        );
      else if (!trial) review('the helper name is already taken in this scope');
      else if (trial.every((e) => taken.some((t) => sameEdit(e, t))))
        // Another caller's finding already fixed the same wrapper: this one is fixed by it too.
        sites.push({
          ...site,
          ...wrapperLines(finding, candidate),
          status: 'rewritten',
          shape: candidate.shape,
          differences: candidate.differences,
        });
      else if (overlapsAny(trial, taken)) review('overlaps another rewrite in the same statements');
      else {
        const edits = candidate.build(plan, options.importSource) ?? [];
        taken.push(...edits);
        const layers = !candidate.importsHelper
          ? []
          : options.vendored
            ? vendoredLayerDifferences
            : runtimeLayerDifferences;
        sites.push({
          ...site,
          ...wrapperLines(finding, candidate),
          status: 'rewritten',
          shape: candidate.shape,
          differences: [...layers, ...candidate.differences],
        });
      }
    }
  }
  const importEdits = plan.edits();
  if (overlapsAny(importEdits, taken)) {
    return {
      edits: [],
      sites: sites.map((s) =>
        s.status === 'rewritten'
          ? { ...s, status: 'review', shape: undefined, reason: 'the import changes collide with the rewrite' }
          : s,
      ),
    };
  }
  return {
    sites,
    edits: [...taken, ...importEdits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]),
  };
}

/** Applies non-overlapping edits to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1])) {
    out += text.slice(at, edit.range[0]) + edit.text;
    at = edit.range[1];
  }
  return out + text.slice(at);
}

/** A wrapper's fix edits the wrapper, wherever the site that led to it is. */
const wrapperLines = (finding: UnsyncedRename, remedy: Remedy): { enclosing?: [number, number] } =>
  remedy.kind === 'fsyncInWrapper' && finding.wrapper ? { enclosing: enclosingLines(finding.wrapper.rename) } : {};

function enclosingLines(node: ESTree.Node): [number, number] {
  let n: ESTree.Node | undefined = node;
  while (n && !/Function|Program/.test(n.type)) n = (n as { parent?: ESTree.Node }).parent;
  return [n?.loc?.start.line ?? 1, n?.loc?.end.line ?? Number.MAX_SAFE_INTEGER];
}
