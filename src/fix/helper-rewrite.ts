/**
 * Rewrites a write → rename pair into one call of the durable helper, with one planner per shape of
 * `helper-site.ts`:
 *   `writeFileSync(tmp, data, opts); renameSync(tmp, dest)` → `writeFileDurableSync(dest, data, opts)`
 *   `await writeFile(tmp, data); await retry(async () => { await rename(tmp, dest) })`
 *     → `await retry(async () => { await writeFileDurable(dest, data) })`
 *   `writeFile(tmp, data).then(() => rename(tmp, dest))` → `writeFileDurable(dest, data)`
 *   `writeFile(tmp, data, (err) => { …; rename(tmp, dest, cb) })` → the helper's promise settling the callback.
 * Each planner says whether its rewrite is provably the same program apart from durability (an
 * autofix) or only a likely intent (a suggestion, or a site the codemod leaves for review), and what
 * a maintainer should know about the behaviour that still differs.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import type { UnsyncedRename } from '../engine/detector.js';
import { deadCodeAfter } from './dead-code.js';
import { identifiersIn, isSideEffectFree, meansSameAt } from './expressions.js';
import {
  calleeRoots,
  exclusiveTempFlag,
  helperSiteOf,
  isInert,
  isSupportedOptions,
  reachedOnlyOnSuccess,
  tempUsedElsewhere,
  type HelperPair,
  type HelperShape,
  type HelperSite,
} from './helper-site.js';
import type { ImportPlan } from './imports.js';
import { rangeOf, removeStatement, within, type TextEdit } from './text.js';

export {
  calleeRoots,
  droppableDeclaration,
  isSupportedOptions,
  tempUsedElsewhere,
  type HelperShape,
} from './helper-site.js';

export interface HelperRewrite {
  readonly shape: HelperShape;
  /** True when the rewrite changes nothing but durability: safe for `--fix`. */
  readonly provablySafe: boolean;
  /**
   * Why a whole-repository rewrite must leave this site for review; undefined when the codemod may
   * apply it. Wider than `provablySafe` only for shapes an autofix never touches (callbacks, `.then`,
   * retries), where the rewrite keeps the callback / promise behaviour but reorders nothing observable.
   */
  readonly blocker?: string;
  /** `writeFileDurable` or `writeFileDurableSync`. */
  readonly helper: string;
  /** What still behaves differently after the rewrite, for the fix summary. */
  readonly differences: readonly string[];
  /** The edits, with the helper's import (and removal of imports left unused) planned in `plan`. */
  build(plan: ImportPlan, importSource: string): TextEdit[] | undefined;
}

type Range = readonly [number, number];

/** What every copy of the helper does differently from `writeFile` + `rename`, whatever the shape. */
export const helperDifferences: readonly string[] = ['the temp file gets a unique name next to the destination'];

/**
 * What the durable core does in every copy (src/durable/target.ts), runtime package and vendored
 * alike, where `writeFile(tmp)` + `rename` replaced whatever was at the destination.
 */
const coreTargetDifferences: readonly string[] = [
  'a symlink at the destination is followed: the file it points to is replaced, not the link',
  'a FIFO, socket or device at the destination (or where its symlink leads) is refused (code NOT_REGULAR_FILE) instead of being replaced by a regular file',
  'a destination the process may not write (a 0444 file) is refused with EACCES, as writeFile refuses it, instead of being replaced',
];

/**
 * What the runtime package's writers add to that (src/durable/full-layers.ts). A vendored copy
 * leaves these layers out (src/durable/vendored.ts) and behaves there like `writeFile` + `rename`.
 */
export const runtimeLayerDifferences: readonly string[] = [
  'errors are DurableWriteError, with the fs error as cause and its code and syscall copied; a failed directory fsync after the rename is a DurabilityUnknownError (the file was replaced)',
  'the file keeps the mode (and, as root, the owner) of the file it replaces instead of getting default permissions',
  ...coreTargetDifferences,
];

/** Without those layers, what still differs: the directory fsync the original code did not do can fail. */
export const vendoredLayerDifferences: readonly string[] = [
  "errors are fs's own; the directory fsync after the rename can fail too, and then throws after the file was replaced",
  ...coreTargetDifferences,
];

/** The conditions every shape shares; the first one that fails, as a reason for review. */
function firstBlocker(sourceCode: SourceCode, site: HelperPair, movedToRename: boolean): string | undefined {
  if (!movedToRename && !isSideEffectFree(site.dest))
    return 'the destination expression has side effects and would be evaluated earlier';
  if (!movedToRename && !site.destFitsAtWrite) return 'the destination is not known yet where the file is written';
  if (!isSupportedOptions(site.options, sourceCode.getScope(site.write)))
    return 'the write options are not ones the helper treats like fs (a flag, flush not true, a key fs ignores, computed keys, a variable)';
  if (tempUsedElsewhere(sourceCode, site.temp, site.tmp, site.write, site.rename))
    return 'the temp file is used elsewhere, and the helper never creates it';
  return undefined;
}

/**
 * Dropping `flag: 'wx'` from the write's options (see exclusiveTempFlag): the edit of the original
 * text, and the options' text without it (undefined when nothing is left of them).
 */
function withoutExclusiveFlag(
  sourceCode: SourceCode,
  site: HelperPair,
): { edit: TextEdit; text: string | undefined } | undefined {
  const flag = exclusiveTempFlag(site.options, sourceCode.getScope(site.write));
  const options = site.options as ESTree.ObjectExpression;
  if (!flag) return undefined;
  const index = options.properties.indexOf(flag);
  const next = options.properties[index + 1];
  const previous = options.properties[index - 1];
  const range: Range = next
    ? [rangeOf(flag)[0], rangeOf(next)[0]]
    : previous
      ? [rangeOf(previous)[1], rangeOf(flag)[1]]
      : [rangeOf(site.data)[1], rangeOf(options)[1]];
  if (!next && !previous) return { edit: { range, text: '' }, text: undefined };
  const [start] = rangeOf(options);
  const original = sourceCode.getText(options);
  return { edit: { range, text: '' }, text: original.slice(0, range[0] - start) + original.slice(range[1] - start) };
}

const exclusiveFlagDifference =
  "flag 'wx' made creating the temp file fail if it existed; the helper creates its temp files exclusively under unique names, so a leftover temp no longer blocks later writes";

/** The helper called as the write was, on the destination. */
const callText = (sourceCode: SourceCode, site: HelperPair, ref: string): string => {
  const flag = withoutExclusiveFlag(sourceCode, site);
  const options = site.options && (flag ? flag.text : sourceCode.getText(site.options));
  return `${ref}(${[sourceCode.getText(site.dest), sourceCode.getText(site.data), options].filter((t) => t !== undefined).join(', ')})`;
};

/** Do the write's data and options mean the same at the rename, where the helper call goes? */
const movable = (sourceCode: SourceCode, site: HelperPair): boolean =>
  [site.data, site.options].every((n) => !n || meansSameAt(sourceCode, n, rangeOf(site.rename)[0]));

interface Plan {
  readonly provablySafe: boolean;
  readonly blocker: string | undefined;
  readonly differences?: readonly string[];
  /** Ranges of the original text the core edits take away (known before any import is planned). */
  readonly ranges: readonly Range[];
  /** Nodes besides the destination, data and options whose text the edits copy into their replacement. */
  readonly carried?: readonly ESTree.Node[];
  readonly edits: (ref: string) => TextEdit[];
}

/** A planner's core edits, completed with the dead code they leave and the imports they need or free. */
function rewrite(sourceCode: SourceCode, site: HelperSite, plan: Plan): HelperRewrite {
  // The destination, data and options move into the helper call: bindings they use stay.
  const carried = [site.dest, site.data, site.options, ...(plan.carried ?? [])].filter((n): n is ESTree.Node => !!n);
  // The core edits' ranges do not depend on the name the helper gets.
  const dead = deadCodeAfter(sourceCode, site.temp, site.tmp, site.write, plan.edits(site.helper), carried);
  const flag = withoutExclusiveFlag(sourceCode, site);
  // Edits that keep the write call in place drop the flag there; the others rewrote the options.
  const flagEdit =
    flag && !plan.ranges.some((r) => flag.edit.range[0] < r[1] && r[0] < flag.edit.range[1]) ? [flag.edit] : [];
  const blocker = plan.blocker ?? (typeof dead === 'string' ? dead : undefined);
  const removal = typeof dead === 'string' ? { edits: [], removed: [], carried: [], roots: [] } : dead;
  return {
    shape: site.shape,
    helper: site.helper,
    provablySafe: plan.provablySafe && blocker === undefined,
    ...(blocker ? { blocker } : {}),
    differences: [...helperDifferences, ...(plan.differences ?? []), ...(flag ? [exclusiveFlagDifference] : [])],
    build(importPlan, importSource) {
      const ref = importPlan.ref([{ source: importSource, path: [] }], site.helper, site.write);
      if (!ref) return undefined;
      const roots = [...calleeRoots(site.write, site.rename), ...removal.roots];
      importPlan.dropUnused(roots, { removed: [...plan.ranges, ...removal.removed], carried: carried.map(rangeOf) });
      return [...plan.edits(ref), ...flagEdit, ...removal.edits];
    },
  };
}

/** Why a rename the write callback reaches by more than error guards cannot become the helper's handler. */
function nestedRenameReason(
  callback: ESTree.FunctionExpression | ESTree.ArrowFunctionExpression,
  renameStatement: ESTree.Node,
): string {
  const body = callback.body.type === 'BlockStatement' ? callback.body.body : [];
  if (body.includes(renameStatement as ESTree.Statement))
    return 'statements in the write callback before the rename would run after the file is published';
  const outer = body.find((s) => within(rangeOf(renameStatement), rangeOf(s)));
  return `the rename is nested in ${outer ? `a ${outer.type.replace(/Statement$/, '').toLowerCase()} statement` : 'a block'} of the write callback, reached by more than error guards`;
}

type Planner<S extends HelperShape> = (
  sourceCode: SourceCode,
  site: Extract<HelperSite, { shape: S }>,
) => HelperRewrite | undefined;

/** A `try` whose `catch` (if any) ends by rethrowing what it caught: write errors still propagate. */
const rethrows = (statement: ESTree.TryStatement): boolean => {
  const handler = statement.handler;
  const last = handler?.body.body.at(-1);
  return (
    !handler ||
    (handler.param?.type === 'Identifier' &&
      last?.type === 'ThrowStatement' &&
      last.argument.type === 'Identifier' &&
      last.argument.name === handler.param.name)
  );
};

const planners: { readonly [S in HelperShape]: Planner<S> } = {
  statements(sourceCode, site) {
    const { write, rename, writeAt, renameAt, between, intoTry } = site;
    // In a `try` entered after the write, the helper call takes the rename's place inside it.
    const moved = !site.destFitsAtWrite || intoTry !== undefined;
    if (moved && !movable(sourceCode, site)) return undefined;
    const blocker =
      between === undefined
        ? 'the write and the rename are not statements of one block'
        : !between.every(isInert)
          ? 'statements between the write and the rename would run after the file is published'
          : intoTry && !rethrows(intoTry)
            ? 'the rename is in a try whose catch does not rethrow: a failing write would now be caught there'
            : firstBlocker(sourceCode, site, intoTry !== undefined);
    const kept = [site.data, ...(site.options ? [site.options] : [])];
    return rewrite(sourceCode, site, {
      provablySafe: intoTry === undefined,
      blocker,
      differences: intoTry
        ? ['a failing write now reaches the catch of the try that held the rename, before it rethrows']
        : [],
      ranges: moved
        ? [rangeOf(writeAt.statement), rangeOf(rename)]
        : [rangeOf(write.callee), rangeOf(site.tmp), rangeOf(renameAt.statement)],
      edits: (ref) =>
        moved
          ? [
              removeStatement(sourceCode, writeAt.statement, kept),
              { range: rangeOf(rename), text: callText(sourceCode, site, ref) },
            ]
          : // Minimal edits keep every comment inside the write call.
            [
              { range: rangeOf(write.callee), text: ref },
              { range: rangeOf(site.tmp), text: sourceCode.getText(site.dest) },
              removeStatement(sourceCode, renameAt.statement, [site.dest]),
            ],
    });
  },

  retry(sourceCode, site) {
    if (!movable(sourceCode, site)) return undefined;
    return rewrite(sourceCode, site, {
      provablySafe: false,
      blocker: firstBlocker(sourceCode, site, true),
      differences: ['the write now runs inside the retried function: a failed attempt rewrites the whole file'],
      ranges: [rangeOf(site.writeAt.statement), rangeOf(site.rename)],
      edits: (ref) => [
        removeStatement(sourceCode, site.writeAt.statement, [site.data, ...(site.options ? [site.options] : [])]),
        { range: rangeOf(site.rename), text: callText(sourceCode, site, ref) },
      ],
    });
  },

  // `writeFile(tmp, data).then(() => rename(tmp, dest))`: the helper's promise replaces the chain link.
  then(sourceCode, site) {
    if (!site.destFitsAtWrite) return undefined;
    const { write, link } = site;
    return rewrite(sourceCode, site, {
      provablySafe: false,
      blocker: firstBlocker(sourceCode, site, false),
      ranges: [rangeOf(write.callee), rangeOf(site.tmp), [rangeOf(write)[1], rangeOf(link)[1]]],
      edits: (ref) => [
        { range: rangeOf(write.callee), text: ref },
        { range: rangeOf(site.tmp), text: sourceCode.getText(site.dest) },
        { range: [rangeOf(write)[1], rangeOf(link)[1]], text: '' },
      ],
    });
  },

  // `writeFile(tmp, data, (err) => { …; rename(tmp, dest, cb); })`: the helper's promise settles the
  // write callback; the rename's callback is called as the rename would have called it.
  callback(sourceCode, site) {
    const { write, rename, callback, renameAt } = site;
    if (!renameAt || renameAt.awaited || !site.destFitsAtWrite) return undefined;
    const renameCallback = rename.arguments[2] as ESTree.Node;
    const blocker =
      rename.arguments.length !== 3 || renameCallback.type === 'SpreadElement'
        ? 'the rename is not called as rename(from, to, callback)'
        : !reachedOnlyOnSuccess(callback, renameAt.statement)
          ? nestedRenameReason(callback, renameAt.statement)
          : firstBlocker(sourceCode, site, false);
    const taken = new Set(identifiersIn(callback).map((id) => id.name));
    const error = ['error', 'writeError', 'durableError'].find((name) => !taken.has(name));
    if (!error) return undefined;
    return rewrite(sourceCode, site, {
      provablySafe: false,
      blocker,
      differences: [
        "the callback's error, when there is one, is fs's own error from the helper's steps (its path names the helper's temp file)",
      ],
      ranges: [[rangeOf(write)[0], rangeOf(callback)[0]], [rangeOf(callback)[1], rangeOf(write)[1]], rangeOf(rename)],
      carried: [renameCallback],
      // The callback runs in its own tick, outside the promise chain: a throw in it stays an
      // uncaught exception. It gets fs's own error (`cause`: code, syscall, message), not the wrapper.
      edits: (ref) => [
        {
          range: [rangeOf(write)[0], rangeOf(callback)[0]],
          text: `${callText(sourceCode, site, ref)}.then(() => null, (${error}) => ${error}.cause ?? ${error}).then((${error}) => process.nextTick(`,
        },
        { range: [rangeOf(callback)[1], rangeOf(write)[1]], text: `, ${error}))` },
        { range: rangeOf(rename), text: `process.nextTick(${sourceCode.getText(renameCallback)}, null)` },
      ],
    });
  },
};

export function analyzeHelperRewrite(finding: UnsyncedRename, sourceCode: SourceCode): HelperRewrite | undefined {
  const site = helperSiteOf(finding, sourceCode);
  return site && (planners[site.shape] as Planner<HelperShape>)(sourceCode, site as never);
}
