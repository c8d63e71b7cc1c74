/**
 * An fsync of the renamed file's directory, written out after the rename: a rename survives a power
 * loss only once the directory that holds the new name is on disk (POSIX leaves it to the caller;
 * ext4 without `auto_da_alloc`, XFS and btrfs lose it). The calls go through the object the rename
 * was called on, so an injected file system (`this.fs`, `self.fs`) stays the one written through.
 *
 * Three places a rename can be followed: a statement (sync, or awaited); a callback (the callback
 * is wrapped so that it runs after the directory fsync); and a promise passed on (returned, the body
 * of an arrow, chained on), which gets a `.then` of its own that fsyncs and passes the value on.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable } from '@eslint-community/eslint-utils';
import type { UnsyncedRename } from '../engine/detector.js';
import { isPlainRename, opensFileHandles } from '../fs-api.js';
import { neverReassigned, variableOf } from '../engine/scope.js';
import {
  awaitedValue,
  callsRealFs,
  completionOf,
  fsModules,
  fslibModules,
  fslibObjectOf,
  fsPromiseModules,
  isTableMember,
  pathModules,
  siblingRef,
  statementOf,
} from './calls.js';
import { identifiersIn, isSideEffectFree } from './expressions.js';
import { code } from './file-style.js';
import type { ImportPlan } from './imports.js';
import { closingAt, inAsyncThenCallback, openSyncClose, type Closing } from './sync-block.js';
import { indentOf, indentUnit, layout, lineEnding, parentOf, rangeOf, type TextEdit } from './text.js';
import { descendants, isFunctionNode, returnValues } from '../ast.js';
import { calleeName } from '../engine/file-key.js';

/** Names the added code declares; a site whose own expressions use one of them is left alone. */
const introduced = ['renameErr', 'openErr', 'syncErr', 'closeErr', 'dirFd', 'dirHandle', 'renamed', 'syncError'];

/** What a directory fsync after the rename still leaves different, for the fix summary. */
export const directorySyncDifferences: readonly string[] = [
  'after a successful rename, a failing directory fsync is reported as the error of the rename (the new contents are in place; their durability is unknown)',
];

/**
 * The directory of `dest`, as text: `dirname(dest)` from `path`, or, where no `path` import can be
 * added (a UMD or script file, an ES5 file), the same for a POSIX path with string methods (the
 * added code skips Windows).
 */
function directoryOf(sourceCode: SourceCode, plan: ImportPlan, dest: ESTree.Node, at: ESTree.Node): string | undefined {
  const text = sourceCode.getText(dest);
  if (at.type === 'CallExpression' && fslibObjectOf(sourceCode, at.callee)) {
    const ppath = plan.ref(fslibModules, 'ppath', at);
    return ppath ? `${ppath}.dirname(${text})` : undefined;
  }
  // An ES5 file would get `const { dirname } = require(…)`, which its minifier cannot read.
  const dirname = plan.style.es5 ? undefined : plan.ref(pathModules, 'dirname', at);
  if (dirname) return `${dirname}(${text})`;
  if (plan.style.module !== 'unknown' && !plan.style.es5) return undefined;
  const operand = dest.type === 'Identifier' || dest.type === 'MemberExpression' ? text : `(${text})`;
  return code(plan.style)`${operand}.slice(0, ${operand}.lastIndexOf('/') + 1) || '.'`;
}

/**
 * The edits that fsync the destination's directory after `finding`'s rename, or undefined when the
 * rename is not a plain `rename(from, to[, callback])` of the fs table, or a function the finding
 * says renames onto one of its arguments, in one of the three places.
 */
export function directorySyncAfterRename(
  sourceCode: SourceCode,
  plan: ImportPlan,
  finding: UnsyncedRename,
  places: 'statement' | 'any' = 'any',
  { hoistCallback = false }: { hoistCallback?: boolean } = {},
): TextEdit[] | undefined {
  const { rename, renameMember } = finding;
  // Another module's rename (an fs adapter's, a function the options name as one) is followed
  // through the real fs: what its other members do is not known. A plain rename is the one place it
  // can be; a function the finding says renames (`moveFile(from, to, options)`) names where.
  const table = isTableMember(renameMember);
  const to = table ? (isPlainRename(renameMember) ? 1 : undefined) : renameMember.destination;
  if (to === undefined || renameMember.kind !== 'rename' || rename.arguments.length <= to) return undefined;
  if (rename.arguments.some((a) => a.type === 'SpreadElement')) return undefined;
  const dest = rename.arguments[to] as ESTree.Node;
  if (!isSideEffectFree(dest)) return undefined;
  const scope = sourceCode.getScope(rename);
  const callback = rename.arguments[to + 1] as ESTree.Node | undefined;
  const own = [dest, rename.callee, ...(callback ? [callback] : [])]
    .flatMap((n) => identifiersIn(n))
    .map((id) => id.name);
  if (own.some((name) => introduced.includes(name)) || findVariable(scope, 'process')?.defs.length) return undefined;
  const style = completionIn(rename, renameMember, table);
  if (!table && style === 'callback') return undefined;
  // An injected file system may be a test double or a memory fs without fsync: it is skipped there.
  const fsObject = rename.callee.type === 'MemberExpression' ? sourceCode.getText(rename.callee.object) : undefined;
  const real = !table || callsRealFs(sourceCode, rename);
  if (!real && !fsObject) return undefined;
  const c = code(plan.style);
  const eol = lineEnding(sourceCode);
  const comment = '// The rename survives a power loss once the directory is fsynced (Windows cannot open one).';
  const ref = (name: string): string | undefined =>
    table ? siblingRef(sourceCode, plan, rename.callee, name, rename) : plan.ref(fsModules, name, rename);

  /** `typeof fs.fsync === 'function'`: the guard an injected file system gets for the call it may lack. */
  const has = (name: string): string => (real ? '' : c` && typeof ${fsObject}.${name} === 'function'`);

  if (style === 'callback') {
    if (places !== 'any') return undefined;
    // `rename(from, to, done)` → `rename(from, to, (err) => { …fsync the directory…; done(…) })`.
    if (!callback || rename.arguments.length !== 3) return undefined;
    // A callback nothing reassigns (a parameter, a `const`) is still the rename's after the directory fsync.
    const hoisted =
      callback.type === 'Identifier' && !reassigned(sourceCode, callback)
        ? undefined
        : hoistCallback
          ? hoistedCallback(sourceCode, plan, rename, callback)
          : null;
    if (hoisted === null) return undefined;
    const [open, fsync, close] = ['open', 'fsync', 'close'].map(ref);
    const dir = directoryOf(sourceCode, plan, dest, rename);
    if (!open || !fsync || !close || !dir) return undefined;
    const done = hoisted ? hoisted.name : (callback as ESTree.Identifier).name;
    const skip = real
      ? c`renameErr || process.platform === 'win32'`
      : c`renameErr || process.platform === 'win32' || typeof ${fsObject}.fsync !== 'function'`;
    const fn = (params: string): string =>
      plan.style.es5
        ? `function (${params}) {`
        : plan.style.arrowParens || params.includes(',')
          ? `(${params}) => {`
          : `${params} => {`;
    const lines = [
      c`${fn('renameErr')}`,
      c`\tif (${skip}) return ${done}(renameErr);`,
      `\t${comment}`,
      c`\t${open}(${dir}, 'r', ${fn('openErr, dirFd')}`,
      c`\t\tif (openErr) return ${done}(openErr);`,
      c`\t\t${fsync}(dirFd, ${fn('syncErr')}`,
      c`\t\t\t${close}(dirFd, ${fn('closeErr')}`,
      c`\t\t\t\t${done}(syncErr || closeErr);`,
      c`\t\t\t});`,
      c`\t\t});`,
      c`\t});`,
      '}',
    ];
    const indent = indentOf(sourceCode, rename);
    const [first, ...rest] = layout(sourceCode, lines, indent);
    return [
      ...(hoisted ? [hoisted.edit] : []),
      { range: rangeOf(callback), text: [first?.trimStart(), ...rest].join(eol) },
    ];
  }

  const at = statementOf(rename);
  // `return rename(…)`, `() => rename(…)`, `rename(…).then(…)`: the promise is passed on, and the
  // directory fsync goes into a `.then` of its own between the rename and whoever gets the promise.
  const passedOn = places === 'any' && !at && style === 'promise';
  if (!passedOn && (!at || at.awaited !== (style === 'promise'))) return undefined;
  // A callback runs later: the destination must still name the same file then.
  if (passedOn && identifiersIn(dest).some((id) => reassigned(sourceCode, id))) return undefined;
  // fs-extra's promise `open` and fslib's `openPromise` resolve to a descriptor: use the sync calls.
  // A FileHandle where the sibling `open` is the promise API's own, or, on the real fs, where a
  // FileHandle's promise can close it (see `Closing`): in an async `.then` callback, and in the
  // `.then` callback written for a promise passed on, which is then async.
  const ownHandle = table && style === 'promise' && opensFileHandles(renameMember) && !(passedOn && plan.style.es5);
  const promiseHandle = !ownHandle && real && !plan.style.es5 && (passedOn || inAsyncThenCallback(rename));
  const handle = ownHandle || promiseHandle;
  // A promise a `.then` callback returns on its every path: the directory fsync is chained on that
  // `.then` rather than nested in its callback, where it is written after the call.
  const chain = passedOn ? chainReturning(sourceCode, rename, [dest, rename.callee]) : undefined;
  const writtenAt = chain ?? rename;
  const refs = (handle ? ['open'] : ['openSync', 'fsyncSync', 'closeSync']).map((name) =>
    promiseHandle ? plan.ref(fsPromiseModules, name, writtenAt) : ref(name),
  );
  if (refs.some((r) => r === undefined)) return undefined;
  const [open, fsync, close] = refs as string[];
  const dir = directoryOf(sourceCode, plan, dest, writtenAt);
  if (!dir) return undefined;
  // A `var` is not scoped to the block: in an ES5 file the name must be free in the whole function.
  const declare = plan.style.es5 ? 'var' : 'const';
  const name = handle ? 'dirHandle' : 'dirFd';
  if (plan.style.es5 && findVariable(scope, name)) return undefined;
  const renamed = 'renamed';
  if (passedOn && findVariable(sourceCode.getScope(writtenAt), renamed)) return undefined;
  // The `.then` callback written for a promise passed on is one, wherever the rename is.
  const closing: Closing = passedOn
    ? handle
      ? 'promise-finally'
      : { rethrowAs: 'syncError' }
    : closingAt(sourceCode, rename, handle);
  if (typeof closing !== 'string' && findVariable(scope, closing.rethrowAs)) return undefined;
  const body = openSyncClose(plan.style, {
    declare,
    name,
    target: dir,
    mode: 'r',
    calls: handle
      ? { handle: true, open: open as string }
      : { open: open as string, fsync: fsync as string, close: close as string },
    closing,
  });
  const guard = c`process.platform !== 'win32'${has(handle ? 'open' : 'fsyncSync')}`;
  // cacache marks its own `process.platform !== 'win32'` guards so: its tests run on Linux and macOS.
  const hint = plan.style.istanbulCoverageGate ? ['/* istanbul ignore else */'] : [];
  const block = [...hint, c`if (${guard}) {`, `\t${comment}`, ...body.map((l) => `\t${l}`), '}'];
  if (passedOn) {
    // `rename(…)` → `rename(…).then((renamed) => { …fsync the directory…; return renamed; })`: the
    // promise settles as the rename's did, after the directory fsync; a rejection passes through.
    const head = plan.style.es5
      ? `function (${renamed}) {`
      : `${handle ? 'async ' : ''}${plan.style.arrowParens ? `(${renamed})` : renamed} => {`;
    // A chain laid out one call a line (`\n  .then(…)`) gets its `.then` on a line of its own.
    const dot = chain && sourceCode.getTokenBefore((chain.callee as ESTree.MemberExpression).property);
    const ownLine = !!dot && dot.loc.start.line > (sourceCode.getTokenBefore(dot)?.loc.end.line ?? dot.loc.start.line);
    const indent = ownLine
      ? (/^[ \t]*/.exec(sourceCode.lines[dot.loc.start.line - 1] ?? '')?.[0] ?? '')
      : indentOf(sourceCode, writtenAt);
    const inner = layout(sourceCode, [...block, c`return ${renamed};`], `${indent}${indentUnit(sourceCode)}`);
    return [
      {
        range: [rangeOf(writtenAt)[1], rangeOf(writtenAt)[1]],
        text: `${ownLine ? `${eol}${indent}` : ''}.then(${head}${eol}${inner.join(eol)}${eol}${indent}})`,
      },
    ];
  }
  const indent = indentOf(sourceCode, at!.statement);
  const end = rangeOf(at!.statement)[1];
  return [
    {
      range: [end, end],
      text: layout(sourceCode, block, indent)
        .map((l) => `${eol}${l}`)
        .join(''),
    },
  ];
}

/**
 * The `p.then(callback)` call whose callback returns `rename`'s promise on every path that returns:
 * `.then(() => rename(…))`, or a block whose one `return rename(…)` is its last statement. Chaining
 * the directory fsync on that call is the same as chaining it on the rename inside it (the chain
 * waits for the returned promise either way, and a rejection skips both), and is not a `.then`
 * nested in a `.then` callback (eslint-plugin-promise's no-nesting). Not with a rejection handler,
 * which a `.then` after the call would follow, and only where `uses` name the same outside the callback.
 */
function chainReturning(
  sourceCode: SourceCode,
  rename: ESTree.CallExpression,
  uses: readonly ESTree.Node[],
): ESTree.CallExpression | undefined {
  const parent = parentOf(rename);
  const returned = parent?.type === 'ReturnStatement' && parent.argument === rename ? parent : undefined;
  const body = returned && parentOf(returned);
  const fn = returned ? body && parentOf(body) : parent;
  if (!isFunctionNode(fn) || fn.generator || fn.type === 'FunctionDeclaration') return undefined;
  if (returned) {
    if (body?.type !== 'BlockStatement' || body !== fn.body || body.body.at(-1) !== returned) return undefined;
    const values = returnValues(fn);
    if (values?.length !== 1 || values[0] !== rename) return undefined;
  } else if (fn.body !== rename) return undefined;
  const call = parentOf(fn);
  if (
    call?.type !== 'CallExpression' ||
    call.optional ||
    call.arguments.length !== 1 ||
    call.arguments[0] !== fn ||
    call.callee.type !== 'MemberExpression' ||
    calleeName(call.callee) !== 'then'
  )
    return undefined;
  const inside = sourceCode.getScope(rename);
  const outside = sourceCode.getScope(call);
  for (const use of uses) {
    // `this` of a `function` callback is its own.
    if (fn.type === 'FunctionExpression' && [...descendants(use)].some((n) => n.type === 'ThisExpression'))
      return undefined;
    if (identifiersIn(use).some((id) => findVariable(inside, id.name) !== findVariable(outside, id.name)))
      return undefined;
  }
  return call;
}

/**
 * How the rename tells it is done. A function that is not the table's own says so by its use only:
 * awaited, it is done at the `await`; a callback-style member called without its callback is a
 * promisified one (fs-jetpack's fs adapter), whose promise settles after the rename.
 */
function completionIn(
  rename: ESTree.CallExpression,
  member: UnsyncedRename['renameMember'],
  table: boolean,
): 'sync' | 'promise' | 'callback' {
  const style = completionOf(rename, member);
  if (table) return style;
  if (style === 'sync' && awaitedValue(rename).awaited) return 'promise';
  if (style === 'callback' && rename.arguments.length <= (member.destination ?? 1) + 1) return 'promise';
  return style;
}

/** Is `id`'s variable assigned anywhere but its declaration (or unknown here)? */
function reassigned(sourceCode: SourceCode, id: ESTree.Identifier): boolean {
  const variable = variableOf(sourceCode, id);
  return !variable || !neverReassigned(variable);
}

/**
 * `rename(from, to, iferr(onError, end));` → `const onRenamed = iferr(onError, end);` before it: the
 * callback expression, evaluated once as before (only side-effect-free paths are evaluated after it
 * now), so the wrapped callback can call it after the directory fsync. Null where it does not fit.
 */
function hoistedCallback(
  sourceCode: SourceCode,
  plan: ImportPlan,
  rename: ESTree.CallExpression,
  callback: ESTree.Node,
): { name: string; edit: TextEdit } | null {
  const name = 'onRenamed';
  const at = statementOf(rename);
  if (!at || at.awaited || callback.type === 'SpreadElement') return null;
  if (!rename.arguments.slice(0, 2).every((a) => isSideEffectFree(a as ESTree.Node))) return null;
  if (findVariable(sourceCode.getScope(rename), name) || identifiersIn(callback).some((id) => id.name === name))
    return null;
  const declare = plan.style.es5 ? 'var' : 'const';
  const start = rangeOf(at.statement)[0];
  const text = code(plan.style)`${declare} ${name} = ${sourceCode.getText(callback)};`;
  return {
    name,
    edit: { range: [start, start], text: `${text}${lineEnding(sourceCode)}${indentOf(sourceCode, at.statement)}` },
  };
}
