/**
 * Rewrites a local open → write → close → rename sequence on one descriptor or FileHandle into one
 * call of the durable helper:
 *   `const fd = openSync(tmp, 'w'); writeSync(fd, data); closeSync(fd); renameSync(tmp, dest)`
 *     → `writeFileDurableSync(dest, data)`
 *   `const fh = await open(tmp, 'w'); await fh.writeFile(data); await fh.close(); await rename(tmp, dest)`
 *     → `await writeFileDurable(dest, data)`
 * with the write and the close as they are, or as `try { write } finally { close }`.
 * Only the codemod applies it: the sequence is four statements, and a reviewer should see it go.
 * The detector already proved that the write goes to the renamed file through this handle; this
 * file only checks that the statements around it are exactly the sequence and nothing else.
 */
import type { Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { getStringIfConstant } from '@eslint-community/eslint-utils';
import type { UnsyncedRename } from '../engine/detector.js';
import { isPlainRename } from '../fs-api.js';
import { calleeName } from '../engine/file-key.js';
import { completionOf, isTableMember, statementOf, type CallStatement } from './calls.js';
import { isSideEffectFree, meansSameAt } from './expressions.js';
import { calleeRoots, droppableDeclaration, isSupportedOptions, tempUsedElsewhere } from './helper-rewrite.js';
import type { ImportPlan } from './imports.js';
import { rangeOf, removeStatement, statementListOf, type TextEdit } from './text.js';
import { variableOf } from '../engine/scope.js';

export interface SequenceRewrite {
  readonly helper: 'writeFileDurable' | 'writeFileDurableSync';
  /** Why the sequence must be left for review; undefined when it can be rewritten. */
  readonly blocker?: string;
  build(plan: ImportPlan, importSource: string): TextEdit[] | undefined;
}

type Call = ESTree.CallExpression;

const unawaited = (node: ESTree.Node | null | undefined): ESTree.Node | null | undefined =>
  node?.type === 'AwaitExpression' ? node.argument : node;

/** The identifier holding the descriptor or FileHandle a write goes through, if any. */
function handleOfWrite(finding: UnsyncedRename): ESTree.Identifier | undefined {
  const write = finding.write as Call;
  const target =
    finding.writeMember.path !== undefined
      ? write.arguments[finding.writeMember.path]
      : write.callee.type === 'MemberExpression'
        ? write.callee.object
        : undefined;
  return target?.type === 'Identifier' ? target : undefined;
}

const blocked = (helper: SequenceRewrite['helper'], blocker: string): SequenceRewrite => ({
  helper,
  blocker,
  build: () => undefined,
});

/** Undefined when the write does not go through a local handle opened in a declaration. */
export function analyzeDescriptorSequence(
  finding: UnsyncedRename,
  sourceCode: SourceCode,
): SequenceRewrite | undefined {
  const write = finding.write as Call;
  if (write.type !== 'CallExpression') return undefined;
  const handle = handleOfWrite(finding);
  if (!handle) return undefined;
  const variable = variableOf(sourceCode, handle);
  const def = variable?.defs[0];
  if (!variable || def?.type !== 'Variable' || def.node.id.type !== 'Identifier') return undefined;
  const open = unawaited(def.node.init);
  if (open?.type !== 'CallExpression' || !/^open(Sync)?$/.test(calleeName(open.callee) ?? '')) return undefined;

  const rename = finding.rename;
  const sync = completionOf(write, finding.writeMember) === 'sync';
  const helper = sync ? 'writeFileDurableSync' : 'writeFileDurable';
  const fail = (reason: string): SequenceRewrite => blocked(helper, reason);
  if (!isTableMember(finding.renameMember) || !isPlainRename(finding.renameMember))
    return fail(`${finding.renameName}() is not fs.rename`);
  if (variable.defs.length !== 1 || def.parent.declarations.length !== 1)
    return fail('the handle variable is declared more than once');

  // One statement each, in one block, in order, all sync or all awaited.
  const renameAt = statementOf(rename);
  const writeAt = statementOf(write);
  const closeCall = closeOf(variable, write);
  const closeAt = closeCall && statementOf(closeCall);
  if (!closeCall || !closeAt) return fail('the handle is used other than by one write and one close');
  if (!renameAt || !writeAt) return fail('the write or the rename is not a statement of its own');
  const steps: Array<CallStatement | { statement: ESTree.Node; awaited: boolean }> = [
    { statement: def.parent, awaited: def.node.init?.type === 'AwaitExpression' },
    writeAt,
    closeAt,
    renameAt,
  ];
  if (!steps.every((s) => s.awaited === !sync))
    return fail('the sequence mixes sync calls, awaited calls and callbacks');
  if (completionOf(rename, finding.renameMember) !== (sync ? 'sync' : 'promise'))
    return fail('the rename is not called like the write');
  // `try { write } finally { close }` is the same sequence, with the close guaranteed: one unit.
  const guarded = tryFinallyAround(writeAt.statement, closeAt.statement);
  const units = guarded
    ? [def.parent, guarded, renameAt.statement]
    : [def.parent, writeAt.statement, closeAt.statement, renameAt.statement];
  const list = statementListOf(def.parent);
  if (!list || !units.every((unit) => statementListOf(unit)?.owner === list.owner))
    return fail('the open, write, close and rename are not statements of one block');
  const at = units.map((unit) => list.list.indexOf(unit));
  if (!at.every((index, i) => i === 0 || index === (at[i - 1] as number) + 1)) {
    return fail('other statements run between the open, the write, the close and the rename');
  }

  // Arguments the helper takes as they are.
  const flags = open.arguments[1] ? getStringIfConstant(open.arguments[1] as never, sourceCode.getScope(open)) : 'r';
  if (flags !== 'w' && flags !== 'w+') return fail(`opened with flags ${JSON.stringify(flags ?? '?')}, not 'w'`);
  const mode = open.arguments[2] as ESTree.Node | undefined;
  const dataIndex = finding.writeMember.data ?? 1;
  const data = write.arguments[dataIndex] as ESTree.Node | undefined;
  const options = finding.writeMember.wholeFile
    ? (write.arguments[dataIndex + 1] as ESTree.Node | undefined)
    : undefined;
  const extra = write.arguments.length - dataIndex - (finding.writeMember.wholeFile ? 2 : 1);
  if (!data || data.type === 'SpreadElement' || extra > 0)
    return fail(`${finding.writeName}() is called with an offset, a length or a position`);
  if (options && !isSupportedOptions(options, sourceCode.getScope(write)))
    return fail('the write options are not ones the helper treats like fs');
  if (mode && options) return fail('both the open mode and the write options would have to be merged');
  if (mode && !isSideEffectFree(mode)) return fail('the open mode has side effects and would be evaluated later');
  const renameStart = rangeOf(rename)[0];
  if (
    ![data, ...(mode ? [mode] : []), ...(options ? [options] : [])].every((n) =>
      meansSameAt(sourceCode, n, renameStart),
    )
  ) {
    return fail('the data or options would mean something else at the rename');
  }
  const tmp = open.arguments[0] as ESTree.Node;
  if (rename.arguments.length !== 2 || rename.arguments.some((a) => a.type === 'SpreadElement'))
    return fail('the rename is not called as rename(from, to)');
  if (tempUsedElsewhere(sourceCode, finding, tmp, open, rename))
    return fail('the temp file is used elsewhere, and the helper never creates it');

  const dest = rename.arguments[1] as ESTree.Node;
  const helperOptions = mode
    ? `{ mode: ${sourceCode.getText(mode)} }`
    : options
      ? sourceCode.getText(options)
      : undefined;
  return {
    helper,
    build(plan, importSource) {
      const ref = plan.ref([{ source: importSource, path: [] }], helper, rename);
      if (!ref) return undefined;
      const args = [sourceCode.getText(dest), sourceCode.getText(data), ...(helperOptions ? [helperOptions] : [])];
      const removed = guarded ? [def.parent, guarded] : [def.parent, writeAt.statement, closeAt.statement];
      const edits: TextEdit[] = [
        ...removed.map((statement) => removeStatement(sourceCode, statement)),
        { range: rangeOf(rename), text: `${ref}(${args.join(', ')})` },
      ];
      const ranges = [...removed.map(rangeOf), rangeOf(rename.callee)];
      const declaration = droppableDeclaration(sourceCode, tmp, open, rename);
      if (declaration) {
        edits.push(removeStatement(sourceCode, declaration));
        ranges.push(rangeOf(declaration));
      }
      // The destination, data and mode or options move into the helper call: bindings they use stay.
      const carried = [dest, data, ...(mode ? [mode] : []), ...(options ? [options] : [])].map(rangeOf);
      plan.dropUnused(calleeRoots(open, write, closeCall, rename), { removed: ranges, carried });
      return edits;
    },
  };
}

/** The `try { write } finally { close }` statement holding exactly those two statements, if any. */
function tryFinallyAround(write: ESTree.Node, close: ESTree.Node): ESTree.TryStatement | undefined {
  const block = statementListOf(write)?.owner;
  const statement = block && (block as ESTree.Node & { parent?: ESTree.Node }).parent;
  if (statement?.type !== 'TryStatement' || statement.block !== block || statement.handler || !statement.finalizer)
    return undefined;
  const [onlyWrite, ...rest] = statement.block.body;
  const [onlyClose, ...after] = statement.finalizer.body;
  return onlyWrite === write && rest.length === 0 && onlyClose === close && after.length === 0 ? statement : undefined;
}

/** The one close of the handle: `closeSync(fd)` / `close(fd, cb)` / `fh.close()`; no other use but `write`. */
function closeOf(variable: Scope.Variable, write: Call): Call | undefined {
  const uses = variable.references
    .filter((r) => !r.init)
    .map((r) => r.identifier as ESTree.Identifier & { parent?: ESTree.Node });
  const closes = uses.flatMap((id) => {
    const parent = id.parent;
    if (
      parent?.type === 'CallExpression' &&
      parent.arguments[0] === id &&
      /^close(Sync)?$/.test(calleeName(parent.callee) ?? '')
    )
      return [parent];
    const call = (parent as (ESTree.Node & { parent?: ESTree.Node }) | undefined)?.parent;
    if (
      parent?.type === 'MemberExpression' &&
      parent.object === id &&
      calleeName(parent) === 'close' &&
      call?.type === 'CallExpression' &&
      call.callee === parent
    ) {
      return [call];
    }
    return [];
  });
  const inWrite = uses.filter((id) => rangeOf(id)[0] >= rangeOf(write)[0] && rangeOf(id)[1] <= rangeOf(write)[1]);
  return closes.length === 1 && inWrite.length === 1 && uses.length === 2 ? closes[0] : undefined;
}
