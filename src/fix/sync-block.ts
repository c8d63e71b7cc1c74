/**
 * The statements every inserted fsync is written as: open the file (the temp file, or the directory
 * that holds the new name), fsync it, and close it whether or not the fsync throws (EIO, a full disk
 * reported late), so that no descriptor or FileHandle is left open where the original code had none.
 * Lines are indented with tabs; the callers lay them out with the file's own indentation.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable } from '@eslint-community/eslint-utils';
import { enclosingFunction, isFunctionExpression, isFunctionNode } from '../ast.js';
import { calleeName } from '../engine/file-key.js';
import { code, type FileStyle } from './file-style.js';
import { parentOf } from './text.js';

/** How the file is opened, fsynced and closed: a descriptor's sync calls, or a FileHandle's awaited methods. */
export type SyncCalls = { readonly handle: true; readonly open: string } | DescriptorCalls;
interface DescriptorCalls {
  readonly handle?: false;
  readonly open: string;
  readonly fsync: string;
  readonly close: string;
}

export interface OpenSyncClose {
  /** `const`, or `var` in an ES5 file. */
  readonly declare: string;
  /** The descriptor's or handle's name (`fd`, `dirHandle`). */
  readonly name: string;
  /** The file opened, as text. */
  readonly target: string;
  /** `'r+'` for a file (Windows fsyncs only what is open for writing), `'r'` for a directory. */
  readonly mode: 'r' | 'r+';
  readonly calls: SyncCalls;
  readonly closing: Closing;
}

/**
 * How the file is closed when the fsync throws. `finally`: `try { <sync> } finally { <close> }`.
 * In a `.then` callback, eslint-plugin-promise's `always-return` takes the path out of a `finally`
 * for one that neither returns nor throws, and reports the callback even where it returns a value:
 * there a FileHandle is closed by its promise's own `finally` (`await handle.sync().finally(() =>
 * handle.close())`), one expression whose every part runs when the fsync succeeds, so a project's
 * coverage gate sees no new branch; a descriptor, which has no promise, by a catch that rethrows
 * (`rethrowAs`, its binding), whose two lines run only when an fsync fails.
 */
export type Closing = 'finally' | 'promise-finally' | { readonly rethrowAs: string };

/** `try { <sync> } finally { <close> }`, or `try { <sync> } catch (e) { <close> throw e } <close>`, which behaves the same. */
export function closeOnFailure(style: FileStyle, sync: string, close: string, closing: Closing): string[] {
  const c = code(style);
  if (typeof closing === 'string') return ['try {', `\t${sync}`, '} finally {', `\t${close}`, '}'];
  const { rethrowAs } = closing;
  return ['try {', `\t${sync}`, c`} catch (${rethrowAs}) {`, `\t${close}`, c`\tthrow ${rethrowAs};`, '}', close];
}

/** `await handle.sync().finally(() => handle.close());` (see `Closing`). */
export const syncThenCloseHandle = (style: FileStyle, name: string): string =>
  code(style)`await ${name}.sync().finally(() => ${name}.close());`;

/** The statements that fsync the file named `name` and close it, whether or not the fsync throws. */
export function syncAndClose(style: FileStyle, name: string, calls: SyncCalls, closing: Closing): string[] {
  const c = code(style);
  if (calls.handle && closing === 'promise-finally') return [syncThenCloseHandle(style, name)];
  return calls.handle
    ? closeOnFailure(style, c`await ${name}.sync();`, c`await ${name}.close();`, closing)
    : closeOnFailure(style, c`${calls.fsync}(${name});`, c`${calls.close}(${name});`, closing);
}

/** `const fd = openSync(file, 'r+');` and the fsync and close after it. */
export function openSyncClose(style: FileStyle, block: OpenSyncClose): string[] {
  const { declare, name, target, mode, calls, closing } = block;
  const c = code(style);
  const open = calls.handle ? `await ${calls.open}` : calls.open;
  return [c`${declare} ${name} = ${open}(${target}, '${mode}');`, ...syncAndClose(style, name, calls, closing)];
}

/**
 * Is `node` in a `.then` fulfilment callback, with no function between them? Statements inserted
 * there make its body a block, which `promise/always-return` checks.
 */
export function inThenCallback(node: ESTree.Node): boolean {
  for (let p = parentOf(node); p; p = parentOf(p)) {
    if (!isFunctionExpression(p) && p.type !== 'FunctionDeclaration') continue;
    const call = parentOf(p);
    return (
      call?.type === 'CallExpression' &&
      call.arguments[0] === p &&
      call.callee.type === 'MemberExpression' &&
      calleeName(call.callee) === 'then'
    );
  }
  return false;
}

/**
 * Is `node` directly in an async `.then` callback, where a FileHandle can be awaited and closed by
 * its promise's `finally`?
 */
export function inAsyncThenCallback(node: ESTree.Node): boolean {
  const fn = enclosingFunction(node);
  return inThenCallback(node) && isFunctionNode(fn) && fn.async === true;
}

/**
 * How a sync inserted at `node` closes on failure (`Closing`): a catch that rethrows only for a
 * descriptor in a `.then` callback where the binding's name is free.
 */
export function closingAt(sourceCode: SourceCode, node: ESTree.Node, handle: boolean): Closing {
  if (!inThenCallback(node)) return 'finally';
  if (handle) return 'promise-finally';
  const rethrowAs = 'syncError';
  return findVariable(sourceCode.getScope(node), rethrowAs) ? 'finally' : { rethrowAs };
}
