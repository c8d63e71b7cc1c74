/**
 * Inserted fsync calls: before a descriptor or FileHandle is closed, or, when nothing better fits,
 * an fsync of the temp file right before the rename. Neither fsyncs the directory.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable } from '@eslint-community/eslint-utils';
import { variableOf } from '../engine/scope.js';
import { descendants, enclosingFunction, isFunctionNode } from '../ast.js';
import type { UnsyncedRename } from '../engine/detector.js';
import { opensFileHandles } from '../fs-api.js';
import { calleeName, propertyName } from '../engine/file-key.js';
import {
  awaitedValue,
  callsRealFs,
  completionOf,
  fsModules,
  fsPromiseModules,
  isTableMember,
  siblingRef,
  statementOf,
} from './calls.js';
import { isSideEffectFree } from './expressions.js';
import { code, type FileStyle } from './file-style.js';
import type { ImportPlan } from './imports.js';
import {
  closeOnFailure,
  closingAt,
  inAsyncThenCallback,
  inThenCallback,
  openSyncClose,
  syncAndClose,
  syncThenCloseHandle,
  type SyncCalls,
} from './sync-block.js';
import { indentOf, indentUnit, layout, lineEnding, parentOf, rangeOf, statementListOf, type TextEdit } from './text.js';

export interface InsertedSync {
  /** The call as the user will read it, e.g. `fs.fsyncSync(fd)`. */
  readonly call: string;
  readonly edits: TextEdit[];
}

/** Calls of `root` that overlap `range`; subtrees outside it are not walked. */
function* callsIn(root: ESTree.Node, range: readonly [number, number]): Generator<ESTree.CallExpression> {
  const overlaps = (node: ESTree.Node): boolean => rangeOf(node)[0] < range[1] && rangeOf(node)[1] > range[0];
  for (const node of descendants(root, overlaps)) if (node.type === 'CallExpression') yield node;
}

const functionOf = enclosingFunction;

const insertBefore = (sourceCode: SourceCode, statement: ESTree.Node, text: string): TextEdit => {
  const start = rangeOf(statement)[0];
  return { range: [start, start], text: `${text}${lineEnding(sourceCode)}${indentOf(sourceCode, statement)}` };
};

/**
 * The close statement becomes `try { <sync>; } finally { <close> }` (or another `Closing`): a sync
 * that throws (EIO, a full disk reported late) must not leave the descriptor or handle open when the
 * original code closed it. `handle`: the FileHandle's name, for `await handle.close()`.
 */
function syncThenClose(
  sourceCode: SourceCode,
  style: FileStyle,
  statement: ESTree.Node,
  sync: string,
  handle?: string,
): TextEdit {
  const closing = closingAt(sourceCode, statement, handle !== undefined);
  const lines =
    handle !== undefined && closing === 'promise-finally'
      ? [syncThenCloseHandle(style, handle)]
      : closeOnFailure(style, code(style)`${sync};`, sourceCode.getText(statement), closing);
  const [first, ...rest] = layout(sourceCode, lines, indentOf(sourceCode, statement));
  return { range: rangeOf(statement), text: [first?.trimStart(), ...rest].join(style.eol) };
}

/**
 * `fs.writeSync(fd, …) … fs.closeSync(fd)` → `fs.fsyncSync(fd)` before the close;
 * `await handle.write(…) … await handle.close()` → `await handle.sync()` before the close.
 */
export function fsyncBeforeClose(
  sourceCode: SourceCode,
  plan: ImportPlan,
  finding: UnsyncedRename,
): InsertedSync | undefined {
  const write = finding.write;
  const isHandle = finding.writeMember.path === undefined;
  // A path's writeFile opens and closes its own descriptor; a FileHandle's leaves it open for the sync.
  if (write.type !== 'CallExpression' || (finding.writeMember.wholeFile && !isHandle)) return undefined;
  const target = isHandle
    ? write.callee.type === 'MemberExpression'
      ? (write.callee.object as ESTree.Node)
      : undefined
    : (write.arguments[finding.writeMember.path ?? 0] as ESTree.Node | undefined);
  if (!target) return undefined;
  const text = sourceCode.getText(target);
  const [from, to] = [rangeOf(write)[1], rangeOf(finding.rename)[0]];
  for (const call of callsIn(functionOf(write), [from, to])) {
    if (rangeOf(call)[0] < from || rangeOf(call)[1] > to) continue;
    // Already fsynced before it is closed (the report stands for a path that skips that fsync, such
    // as the fsync throwing into a `finally` that renames): one more would change nothing.
    if (syncs(sourceCode, call, text, isHandle)) return undefined;
    const at = statementOf(call);
    if (!at) continue;
    if (isHandle) {
      const closes =
        call.callee.type === 'MemberExpression' &&
        propertyName(call.callee) === 'close' &&
        sourceCode.getText(call.callee.object) === text;
      if (closes && at.awaited) {
        const sync = `await ${text}.sync()`;
        return { call: sync, edits: [syncThenClose(sourceCode, plan.style, at.statement, sync, text)] };
      }
    } else if (
      /^close(Sync)?$/.test(calleeName(call.callee) ?? '') &&
      call.arguments[0] &&
      sourceCode.getText(call.arguments[0]) === text
    ) {
      const fsync = siblingRef(sourceCode, plan, call.callee, 'fsyncSync', call);
      if (!fsync) return undefined;
      return {
        call: `${fsync}(${text})`,
        edits: [syncThenClose(sourceCode, plan.style, at.statement, `${fsync}(${text})`)],
      };
    }
  }
  return undefined;
}

/** `fs.fsync(fd)`, `fs.fdatasyncSync(fd)`, `handle.sync()`, `handle.datasync()` of the descriptor or handle named `text`. */
function syncs(sourceCode: SourceCode, call: ESTree.CallExpression, text: string, isHandle: boolean): boolean {
  const name = calleeName(call.callee) ?? '';
  if (isHandle) {
    return (
      call.callee.type === 'MemberExpression' &&
      /^(?:data)?sync$/.test(name) &&
      sourceCode.getText(call.callee.object) === text
    );
  }
  return (
    /^f(?:data)?sync(?:Sync)?$/.test(name) && !!call.arguments[0] && sourceCode.getText(call.arguments[0]) === text
  );
}

/**
 * `return rename(…)`, `return await rename(…)`, `const r = await rename(…)`: statements whose value is
 * the rename, so that it runs whenever the statement does and an fsync can go right before it. A
 * returned promise in an async function is awaited by the return.
 */
function valueStatementOf(call: ESTree.Node): { statement: ESTree.Node; awaited: boolean } | undefined {
  const { node, parent } = awaitedValue(call);
  let { awaited } = awaitedValue(call);
  let statement: ESTree.Node | undefined;
  if (parent?.type === 'ReturnStatement' && parent.argument === node) {
    statement = parent;
    const fn = functionOf(parent);
    awaited ||=
      (fn.type === 'FunctionDeclaration' ||
        fn.type === 'FunctionExpression' ||
        fn.type === 'ArrowFunctionExpression') &&
      fn.async === true;
  } else if (parent?.type === 'VariableDeclarator' && parent.init === node) {
    const declaration = parentOf(parent);
    if (declaration?.type === 'VariableDeclaration' && declaration.declarations.length === 1) statement = declaration;
  }
  return statement && statementListOf(statement) ? { statement, awaited } : undefined;
}

/**
 * `if (existsSync(tmp)) renameSync(tmp, dest);`: the rename is the whole body of an `if`, an `else` or a
 * loop, written without braces. The fsync goes before it inside a block that replaces that body.
 */
function bareBodyOf(call: ESTree.Node): { statement: ESTree.Node; awaited: boolean } | undefined {
  const { node, parent, awaited } = awaitedValue(call);
  if (parent?.type !== 'ExpressionStatement' || parent.expression !== node) return undefined;
  const owner = parentOf(parent);
  const isBody =
    (owner?.type === 'IfStatement' && (owner.consequent === parent || owner.alternate === parent)) ||
    ((owner?.type === 'ForStatement' ||
      owner?.type === 'ForInStatement' ||
      owner?.type === 'ForOfStatement' ||
      owner?.type === 'WhileStatement' ||
      owner?.type === 'DoWhileStatement') &&
      owner.body === parent);
  return isBody ? { statement: parent, awaited } : undefined;
}

/** `(…) => rename(…)`: the rename is an arrow function's whole body (a stream listener, a `.then`). */
function conciseBodyOf(call: ESTree.Node): { statement: ESTree.Node; awaited: boolean } | undefined {
  const parent = parentOf(call);
  if (parent?.type !== 'ArrowFunctionExpression' || parent.body !== call) return undefined;
  // A returned promise is awaited by whoever awaits the async arrow.
  return { statement: call, awaited: parent.async === true };
}

/**
 * The renamed file, as text that names it right before the rename: the rename's argument, or, when a
 * helper renames a path built inside it (`publish() { rename(TMP, FILE) }`, `commit(f) { rename(f +
 * '.tmp', f) }`, `this.tmp` in a method), that expression with the helper's parameters and `this`
 * replaced by the call's arguments and receiver, if every other binding means the same there.
 */
function renamedPathAt(
  sourceCode: SourceCode,
  finding: UnsyncedRename,
): { node?: ESTree.Node; text: string } | undefined {
  const { rename, renameMember, file } = finding;
  if (isTableMember(renameMember) || renameMember.path !== undefined) {
    const arg = rename.arguments[renameMember.path ?? 0] as ESTree.Node | undefined;
    return arg && arg.type !== 'SpreadElement' ? { node: arg, text: sourceCode.getText(arg) } : undefined;
  }
  // A helper of another module whose path is built inside it (`renameCacheFile(a, b)` renames
  // `ensureCachePath(a)`): nothing here names the renamed file.
  if (file === rename) return undefined;
  const [start, end] = rangeOf(file);
  if (start >= rangeOf(rename)[0] && end <= rangeOf(rename)[1]) return { node: file, text: sourceCode.getText(file) };
  const callee = rename.callee;
  const helper = enclosingFunction(file);
  if (
    helper.type !== 'FunctionDeclaration' &&
    helper.type !== 'FunctionExpression' &&
    helper.type !== 'ArrowFunctionExpression'
  )
    return undefined;
  // `helper.call(receiver, …args)`
  const viaCall = callee.type === 'MemberExpression' && calleeName(callee) === 'call';
  const offset = viaCall ? 1 : 0;
  const here = sourceCode.getScope(rename);
  const there = sourceCode.getScope(file);
  const edits: Array<{ range: [number, number]; text: string }> = [];
  const argumentText = (n: ESTree.Node): string => {
    const text = sourceCode.getText(n);
    return /^(?:Identifier|Literal|MemberExpression|CallExpression|TemplateLiteral|ThisExpression)$/.test(n.type)
      ? text
      : `(${text})`;
  };
  for (const node of descendants(file)) {
    const parent = parentOf(node);
    if (node.type === 'Identifier') {
      if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) continue;
      const variable = findVariable(there, node.name);
      const index = helper.params.findIndex((p) => p.type === 'Identifier' && variable?.defs.some((d) => d.name === p));
      if (index >= 0) {
        const arg = rename.arguments[index + offset] as ESTree.Node | undefined;
        if (!arg || arg.type === 'SpreadElement' || !isSideEffectFree(arg)) return undefined;
        edits.push({ range: rangeOf(node), text: argumentText(arg) });
      } else if (findVariable(here, node.name) !== variable) return undefined;
    } else if (node.type === 'ThisExpression') {
      const receiver =
        helper.type === 'ArrowFunctionExpression'
          ? undefined
          : viaCall
            ? (rename.arguments[0] as ESTree.Node | undefined)
            : receiverOf(sourceCode, rename);
      if (receiver && !isSideEffectFree(receiver)) return undefined;
      if (!receiver) return undefined;
      edits.push({ range: rangeOf(node), text: argumentText(receiver) });
    }
  }
  let text = sourceCode.getText(file);
  for (const edit of edits.sort((a, b) => b.range[0] - a.range[0])) {
    text = text.slice(0, edit.range[0] - start) + edit.text + text.slice(edit.range[1] - start);
  }
  return { text };
}

/** The `this` a call passes: `x` of `x.m()`, or `y` of a `const m = x.bind(y)` called in the same function. */
function receiverOf(sourceCode: SourceCode, call: ESTree.CallExpression): ESTree.Node | undefined {
  const callee = call.callee;
  if (callee.type === 'MemberExpression')
    return isSideEffectFree(callee.object as ESTree.Node) ? (callee.object as ESTree.Node) : undefined;
  if (callee.type !== 'Identifier') return undefined;
  const def = variableOf(sourceCode, callee)?.defs[0];
  const init = def?.type === 'Variable' ? def.node.init : undefined;
  if (
    init?.type !== 'CallExpression' ||
    init.callee.type !== 'MemberExpression' ||
    propertyName(init.callee) !== 'bind'
  )
    return undefined;
  const bound = init.arguments[0] as ESTree.Node | undefined;
  if (!bound || !isSideEffectFree(bound)) return undefined;
  // `this` means the same at the bind and at the call only inside the same (non-arrow) function.
  return bound.type !== 'ThisExpression' || thisScopeOf(bound) === thisScopeOf(call) ? bound : undefined;
}

function thisScopeOf(node: ESTree.Node): ESTree.Node | undefined {
  for (let n = parentOf(node); n; n = parentOf(n))
    if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') return n;
  return undefined;
}

/**
 * The last resort: open the temp file and fsync it right before the rename. Written as a block so
 * that its descriptor name cannot clash with the surrounding code (in an ES5 file, whose `var` a
 * block does not scope, without one, where the name is free in the function). With `skipUnopenable` (a
 * wrapper's body, which every caller runs), a temp file that cannot be opened is not fsynced and the
 * rename fails or succeeds as it did: a missing temp file still fails as the rename's error, where
 * its caller expects it, and a read-only one is still renamed.
 */
export function fsyncBeforeRename(
  sourceCode: SourceCode,
  plan: ImportPlan,
  finding: UnsyncedRename,
  { skipUnopenable = false }: { skipUnopenable?: boolean } = {},
): InsertedSync | undefined {
  const { rename, renameMember } = finding;
  const arrow = conciseBodyOf(rename);
  const bareBody = bareBodyOf(rename);
  const at = statementOf(rename) ?? valueStatementOf(rename) ?? arrow ?? bareBody;
  const path = renamedPathAt(sourceCode, finding);
  if (!at || !path) return undefined;
  // The detector keys a call only when it names the same file at every call (a temp-path builder).
  if (path.node && !isSideEffectFree(path.node) && !(path.node === finding.file && path.node.type === 'CallExpression'))
    return undefined;
  if (/\b(?:fd|handle)\b/.test(path.text)) return undefined;
  const style = completionOf(rename, renameMember);
  const ownHandle = at.awaited && style === 'promise' && opensFileHandles(renameMember);
  // In a `.then` callback a FileHandle of the real fs, closed by its promise's `finally`, rather
  // than descriptors, which only a catch that rethrows could close there (see `Closing`). A sync
  // callback becomes async for it: what it returns or throws settles the chain the same either way.
  const callback = enclosingFunction(rename);
  const becomesAsync =
    inThenCallback(rename) &&
    isFunctionNode(callback) &&
    !callback.async &&
    !callback.generator &&
    // A declared return type would have to become a Promise of it.
    !(callback as { returnType?: unknown }).returnType;
  const promiseHandle =
    !ownHandle &&
    !plan.style.es5 &&
    (inAsyncThenCallback(rename) || becomesAsync) &&
    (!isTableMember(renameMember) || callsRealFs(sourceCode, rename));
  const madeAsync: TextEdit[] =
    promiseHandle && becomesAsync ? [{ range: [rangeOf(callback)[0], rangeOf(callback)[0]], text: 'async ' }] : [];
  const refsFor = (handle: boolean): Array<string | undefined> => {
    const names = handle ? ['open'] : ['openSync', 'fsyncSync', 'closeSync'];
    // Node's promise API has no sync members: a rename of it that is not awaited (returned from a
    // `.then` handler) is preceded by the sync calls of `fs` itself.
    const siblings =
      !promiseHandle &&
      isTableMember(renameMember) &&
      (handle || !(style === 'promise' && opensFileHandles(renameMember)));
    return names.map((name) =>
      siblings
        ? siblingRef(sourceCode, plan, rename.callee, name, rename)
        : plan.ref(handle ? fsPromiseModules : fsModules, name, rename),
    );
  };
  let handle = ownHandle || promiseHandle;
  let refs = refsFor(handle);
  // An awaited rename whose `open` name is taken (a project's fs adapter imported as `open`): the
  // sync calls, which wait for the fsync as the await would.
  if (refs.some((r) => r === undefined) && ownHandle && !promiseHandle) {
    handle = false;
    refs = refsFor(false);
  }
  if (refs.some((r) => r === undefined)) return undefined;
  const [open, fsync, close] = refs as string[];
  const file = path.text;
  const c = code(plan.style);
  // An ES5 file's `var` is scoped to the whole function: the name must be free there.
  if (plan.style.es5 && findVariable(sourceCode.getScope(rename), handle ? 'handle' : 'fd')) return undefined;
  const name = handle ? 'handle' : 'fd';
  const calls: SyncCalls = handle
    ? { handle: true, open: open as string }
    : { open: open as string, fsync: fsync as string, close: close as string };
  const closing = closingAt(sourceCode, rename, handle);
  const closed = syncAndClose(plan.style, name, calls, closing).map((l) => `\t${l}`);
  const skipped = '// A temp file that cannot be opened is left to the rename, which reports it as before.';
  const lines = !skipUnopenable
    ? openSyncClose(plan.style, {
        declare: plan.style.es5 ? 'var' : 'const',
        name,
        target: file,
        mode: 'r+',
        calls,
        closing,
      })
    : handle
      ? [c`const handle = await ${open}(${file}, 'r+').catch(() => undefined);`, 'if (handle) {', ...closed, '}']
      : [
          c`${plan.style.es5 ? 'var' : 'let'} fd;`,
          'try {',
          c`\tfd = ${open}(${file}, 'r+');`,
          // An unused catch binding fails no-unused-vars (caughtErrors: "all", ESLint 9's default).
          plan.style.es5 ? '} catch (openErr) {' : '} catch {',
          `\t${skipped}`,
          '}',
          'if (fd !== undefined) {',
          ...closed,
          '}',
        ];
  const unit = indentUnit(sourceCode);
  const eol = lineEnding(sourceCode);
  const call = handle ? `await handle.sync()` : `${fsync}(fd)`;
  // A block scopes nothing for a `var` (no-lone-blocks, in standard and others, flags it): in an ES5
  // file the statements stand alone, under a name checked free in the whole function above.
  const bare = plan.style.es5;
  const blockAt = (indent: string): string => {
    const [first, ...rest] = layout(sourceCode, bare ? lines : ['{', ...lines.map((l) => `\t${l}`), '}'], indent);
    return [first?.trimStart(), ...rest].join(eol);
  };
  if (arrow && at === arrow) {
    // `() => rename(…)` becomes `() => { { fsync… } return rename(…); }`: same value, fsync first.
    const indent = indentOf(sourceCode, arrow.statement);
    const inner = `${indent}${unit}`;
    const body = c`{${eol}${inner}${blockAt(inner)}${eol}${inner}return ${sourceCode.getText(arrow.statement)};${eol}${indent}}`;
    return { call, edits: [...madeAsync, { range: rangeOf(arrow.statement), text: body }] };
  }
  if (bareBody && at === bareBody) {
    // `if (c) rename(…);` becomes `if (c) { { fsync… } rename(…); }`.
    const indent = indentOf(sourceCode, bareBody.statement);
    const inner = `${indent}${unit}`;
    const body = `{${eol}${inner}${blockAt(inner)}${eol}${inner}${sourceCode.getText(bareBody.statement)}${eol}${indent}}`;
    return { call, edits: [...madeAsync, { range: rangeOf(bareBody.statement), text: body }] };
  }
  return {
    call,
    edits: [...madeAsync, insertBefore(sourceCode, at.statement, blockAt(indentOf(sourceCode, at.statement)))],
  };
}
