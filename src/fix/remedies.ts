/**
 * The one list of remedies for a finding, in order of preference, as typescript-eslint's
 * `getFixOrSuggest` keeps one fix and lets a policy decide whether it is a fix or a suggestion. Each
 * remedy says how safe it is, what blocks it and what still behaves differently; the rule's autofix,
 * its suggestions and the codemod are short policies over this list (src/fix/index.ts, codemod.ts).
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { isFunctionNode } from '../ast.js';
import { isNodeCopy } from '../fs-api.js';
import type { UnsyncedRename } from '../engine/detector.js';
import { analyzeDescriptorSequence } from './descriptor-sequence.js';
import { directorySyncDifferences } from './directory-sync.js';
import { fileStyleOf, type FileStyle } from './file-style.js';
import { flushEdit, flushStyleFix } from './flush.js';
import { fsyncBeforeClose, fsyncBeforeRename } from './fsync.js';
import { analyzeHelperRewrite, helperDifferences, type HelperShape } from './helper-rewrite.js';
import { ImportPlan } from './imports.js';
import type { TextEdit } from './text.js';
import { syncInWrapper } from './wrapper.js';

export type RemedyKind =
  | 'rewriteSequence'
  | 'rewriteToHelper'
  | 'addFlushAndDirectorySync'
  | 'addFlush'
  | 'fsyncBeforeClose'
  | 'fsyncInWrapper'
  | 'fsyncBeforeRename';

export type RewriteShape = HelperShape | 'sequence' | 'flush' | 'wrapper';

export interface Remedy {
  readonly kind: RemedyKind;
  readonly shape: RewriteShape;
  /**
   * `same-program`: nothing changes but durability (an autofix may apply it); `keeps-behaviour`:
   * callbacks and promises settle as before (a whole-repository rewrite may apply it); `review`: a
   * likely intent, for a maintainer to decide (`review` says why).
   */
  readonly safety: 'same-program' | 'keeps-behaviour' | 'review';
  readonly review?: string;
  /** Why it does not fit here at all; the edits are then undefined. */
  readonly blocker?: string;
  /** It imports the durable helper (which must resolve where the file runs). */
  readonly importsHelper: boolean;
  /** What still behaves differently after it, for the fix summary. */
  readonly differences: readonly string[];
  /** Message data: `helper`, `write`, `rename` or `call`. */
  readonly data: Readonly<Record<string, string>>;
  /** The edits, with the imports they need planned in `plan`. */
  build(plan: ImportPlan, importSource: string): readonly TextEdit[] | undefined;
}

const flushDifference =
  'the write gets flush: true: Node.js >= 20.10 fsyncs the temp file before closing it (older versions ignore the option)';
/** Where the code may run on Node.js < 20.10, which ignores `flush: true` (`flushPolicyOf`). */
const fsyncBeforeRenameDifference =
  'the temp file is opened and fsynced right before the rename: the package may run on Node.js < 20.10, which ignores flush: true';
/** What an edit leaves undone when it adds no directory fsync after the rename. */
const flushOnlyDifference =
  'the directory is not fsynced after the rename, so after a power cut the previous contents can come back (never an empty or truncated file)';

const raceBlocker =
  'the rename can run before the write settles (an unawaited write, a rename earlier in a loop, a rename on finish): flush: true would fsync too late';
const severalBlocker = 'other writes reach the rename unsynced too: an edit of one of them leaves the rename unsafe';

export interface RemedyContext {
  readonly sourceCode: SourceCode;
  readonly style: FileStyle;
}

export function remedyContext(sourceCode: SourceCode, filename: string): RemedyContext {
  return { sourceCode, style: fileStyleOf(sourceCode, filename) };
}

/** Builds `build` on a throwaway import plan: does the remedy fit, and with which message data? */
const trial = <T>(context: RemedyContext, build: (plan: ImportPlan) => T): T =>
  build(new ImportPlan(context.sourceCode, context.style));

/** Every remedy of `finding`, most preferred first; blocked ones too, with why. */
export function remediesFor(finding: UnsyncedRename, context: RemedyContext): Remedy[] {
  const { sourceCode, style } = context;
  const remedies: Remedy[] = [];
  // An archive extractor or a copy (fs-extra's `copy`, `fs.cp` with options) wrote what is renamed:
  // a file or a directory of files, which nothing here can tell apart (a directory cannot be opened
  // for writing, its files need an fsync each). Node's `cp` copies a file only, unless told `recursive`.
  if (finding.writeMember.inside || (finding.writeMember.tree && !copiesOneFile(finding))) return remedies;
  const several = (finding.otherWrites?.length ?? 0) > 0;

  const sequence = analyzeDescriptorSequence(finding, sourceCode);
  if (sequence) {
    remedies.push({
      kind: 'rewriteSequence',
      shape: 'sequence',
      safety: 'keeps-behaviour',
      ...(sequence.blocker ? { blocker: sequence.blocker } : {}),
      importsHelper: true,
      differences: helperDifferences,
      data: { helper: sequence.helper },
      build: (plan, importSource) => sequence.build(plan, importSource),
    });
  }

  const rewrite = analyzeHelperRewrite(finding, sourceCode);
  if (rewrite) {
    remedies.push({
      kind: 'rewriteToHelper',
      shape: rewrite.shape,
      safety: rewrite.provablySafe ? 'same-program' : rewrite.blocker ? 'review' : 'keeps-behaviour',
      ...(rewrite.blocker ? { review: rewrite.blocker } : {}),
      importsHelper: true,
      differences: rewrite.differences,
      data: { helper: rewrite.helper },
      build: (plan, importSource) => rewrite.build(plan, importSource),
    });
  }

  // `flush: true` and a directory fsync after the rename, in place: a statement rename (sync or
  // awaited) is the same program; a callback rename or a `.then` handler's gets its code wrapped.
  const inPlace = !finding.settlesBeforeRename
    ? raceBlocker
    : several
      ? severalBlocker
      : trial(context, (plan) => flushStyleFix(sourceCode, plan, finding, 'any'))
        ? undefined
        : 'no flush option or directory fsync fits this write and rename';
  const atStatement = !inPlace && !!trial(context, (plan) => flushStyleFix(sourceCode, plan, finding, 'statement'));
  remedies.push({
    kind: 'addFlushAndDirectorySync',
    shape: 'flush',
    safety: atStatement ? 'same-program' : 'keeps-behaviour',
    ...(inPlace ? { blocker: inPlace } : {}),
    importsHelper: false,
    differences: [style.flushIgnored ? fsyncBeforeRenameDifference : flushDifference, ...directorySyncDifferences],
    data: { write: finding.writeName, rename: finding.renameName },
    build: (plan) =>
      inPlace ? undefined : flushStyleFix(sourceCode, plan, finding, atStatement ? 'statement' : 'any'),
  });

  // `flush: true` on every write that reaches the rename unsynced, or not at all: one left alone keeps
  // the report (and the rename unsafe).
  const flushes = [finding, ...(finding.otherWrites ?? []).map((w) => ({ ...finding, ...w }))].map((f) =>
    flushEdit(sourceCode, style, f),
  );
  const flushBlocker = !finding.settlesBeforeRename
    ? raceBlocker
    : flushes.every((e) => e !== undefined)
      ? undefined
      : 'a write takes no flush option here (options in a variable, a spread, a write without options)';
  remedies.push({
    kind: 'addFlush',
    shape: 'flush',
    safety: 'keeps-behaviour',
    ...(flushBlocker ? { blocker: flushBlocker } : {}),
    importsHelper: false,
    differences: [flushDifference, flushOnlyDifference],
    data: { write: finding.writeName },
    build: () => (flushBlocker ? undefined : (flushes as TextEdit[])),
  });

  const beforeClose = several ? undefined : trial(context, (plan) => fsyncBeforeClose(sourceCode, plan, finding));
  remedies.push({
    kind: 'fsyncBeforeClose',
    shape: 'flush',
    safety: 'keeps-behaviour',
    ...(beforeClose
      ? {}
      : { blocker: several ? severalBlocker : 'no close of a descriptor or FileHandle to fsync before' }),
    importsHelper: false,
    differences: [flushOnlyDifference],
    data: { call: beforeClose?.call ?? '' },
    build: (plan) => (beforeClose ? fsyncBeforeClose(sourceCode, plan, finding)?.edits : undefined),
  });

  // The project's own wrapper (its callers pass the path; the data was written outside it): fixed in
  // its body, before and after its fs rename, so that every caller is durable, not only this one.
  const wrapper = finding.wrapper;
  const inWrapper = wrapper && trial(context, (plan) => syncInWrapper(sourceCode, plan, finding, wrapper));
  const wrapperName = wrapper?.name
    ? `\`${wrapper.name}()\``
    : `the function at line ${wrapper?.node.loc?.start.line ?? '?'}`;
  remedies.push({
    kind: 'fsyncInWrapper',
    shape: 'wrapper',
    safety: 'keeps-behaviour',
    ...(inWrapper
      ? {}
      : {
          blocker: wrapper
            ? 'nothing in the wrapper names the renamed file where an fsync could go before its rename'
            : 'the rename is not inside a function whose callers pass the path',
        }),
    importsHelper: false,
    differences: [
      `${wrapperName.replace(/`/g, '')} fsyncs the temp file right before its rename, for every caller: one fsync more per call; a missing temp file fails as before, with the same code, and one that cannot be opened for writing fails at the open where its rename reports to its caller by throwing or rejecting`,
      ...(wrapper?.member.style === 'sync' || inWrapper?.call.startsWith('await')
        ? []
        : [
            'the fsync is synchronous: in callback or promise code the event loop waits for it, and an fsync failure (EIO, ENOSPC) is thrown there',
          ]),
      ...(inWrapper?.directory ? directorySyncDifferences : [flushOnlyDifference]),
    ],
    data: {
      wrapper: wrapperName,
      call: inWrapper?.call ?? '',
      after: inWrapper?.directory ? ' and the directory after it' : '',
    },
    build: (plan) => (wrapper ? syncInWrapper(sourceCode, plan, finding, wrapper)?.edits : undefined),
  });

  // The last resort; when nothing fits at a helper's call (`once('close', handleClose(this))`),
  // inside the helper right before its own rename, which makes every caller's publication durable.
  const inner = finding.innerRename;
  const atInner: UnsyncedRename | undefined = inner && {
    ...finding,
    rename: inner.call,
    renameMember: inner.member,
    file: inner.file,
  };
  const at = [finding, ...(atInner ? [atInner] : [])].find((f) =>
    trial(context, (plan) => fsyncBeforeRename(sourceCode, plan, f)),
  );
  const beforeRename = at && trial(context, (plan) => fsyncBeforeRename(sourceCode, plan, at));
  remedies.push({
    kind: 'fsyncBeforeRename',
    shape: 'flush',
    safety: 'review',
    review: 'the temp file is opened again right before the rename, which fails where the file is gone',
    ...(beforeRename
      ? {}
      : { blocker: 'nothing here names the renamed file where an fsync could go before the rename' }),
    importsHelper: false,
    differences: [flushOnlyDifference],
    data: { call: beforeRename?.call ?? '' },
    build: (plan) => (at ? fsyncBeforeRename(sourceCode, plan, at)?.edits : undefined),
  });
  return remedies;
}

/** A Node `cp` call with no options (`cp(src, dest)`, `cp(src, dest, cb)`): it throws on a directory. */
function copiesOneFile(finding: UnsyncedRename): boolean {
  const call = finding.write;
  if (call.type !== 'CallExpression' || !isNodeCopy(finding.writeMember)) return false;
  const third = call.arguments[2];
  return !third || isFunctionNode(third as ESTree.Node);
}
