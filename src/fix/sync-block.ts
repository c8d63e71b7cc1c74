/**
 * The statements every inserted fsync is written as: open the file (the temp file, or the directory
 * that holds the new name), fsync it, and close it whether or not the fsync throws (EIO, a full disk
 * reported late), so that no descriptor or FileHandle is left open where the original code had none.
 * Lines are indented with tabs; the callers lay them out with the file's own indentation.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { findVariable } from '@eslint-community/eslint-utils';
import { isFunctionExpression } from '../ast.js';
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
  /** The catch binding where the close on failure rethrows instead (`closeOnFailure`). */
  readonly rethrowAs?: string;
}

/**
 * `try { <sync> } finally { <close> }` of two statements; with `rethrowAs`, `try { <sync> } catch (e)
 * { <close> throw e } <close>`, which behaves the same. The second is for `.then` callbacks:
 * eslint-plugin-promise's `always-return` takes the path out of a `finally` for one that neither
 * returns nor throws, and reports the callback even where it returns a value.
 */
export function closeOnFailure(style: FileStyle, sync: string, close: string, rethrowAs?: string): string[] {
  const c = code(style);
  if (rethrowAs === undefined) return ['try {', `\t${sync}`, '} finally {', `\t${close}`, '}'];
  return ['try {', `\t${sync}`, c`} catch (${rethrowAs}) {`, `\t${close}`, c`\tthrow ${rethrowAs};`, '}', close];
}

/** The statements that fsync and close the file named `name`. */
export function syncAndClose(style: FileStyle, name: string, calls: SyncCalls): { sync: string; close: string } {
  const c = code(style);
  return calls.handle
    ? { sync: c`await ${name}.sync();`, close: c`await ${name}.close();` }
    : { sync: c`${calls.fsync}(${name});`, close: c`${calls.close}(${name});` };
}

/** `const fd = openSync(file, 'r+');` and the fsync and close after it. */
export function openSyncClose(style: FileStyle, block: OpenSyncClose): string[] {
  const { declare, name, target, mode, calls, rethrowAs } = block;
  const c = code(style);
  const open = calls.handle ? `await ${calls.open}` : calls.open;
  const { sync, close } = syncAndClose(style, name, calls);
  return [c`${declare} ${name} = ${open}(${target}, '${mode}');`, ...closeOnFailure(style, sync, close, rethrowAs)];
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

/** The catch binding of a close on failure at `node` (`closeOnFailure`): only in a `.then` callback, and only when the name is free. */
export function rethrowNameAt(sourceCode: SourceCode, node: ESTree.Node): string | undefined {
  const name = 'syncError';
  return inThenCallback(node) && !findVariable(sourceCode.getScope(node), name) ? name : undefined;
}
