/**
 * `flush: true` (Node ≥ 20.10 fsyncs the file before closing it; where the package admits an older
 * Node.js, an explicit fsync before the rename) and, for `fixStyle: "flush"`, an
 * fsync of the destination's directory after the rename, written out inline: the fixes for teams
 * that want no runtime dependency.
 */
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { isFunctionExpression as isFunction, propertyKeyName } from '../ast.js';
import type { UnsyncedRename } from '../engine/detector.js';
import { fslibObjectOf, isTableMember } from './calls.js';
import { directorySyncAfterRename } from './directory-sync.js';
import { fsyncBeforeRename } from './fsync.js';
import { code, type FileStyle } from './file-style.js';
import type { ImportPlan } from './imports.js';
import { indentOf, lineEnding, rangeOf, type TextEdit } from './text.js';

/**
 * The edit that makes a write's options say `flush: true`, for options that are absent, an object
 * literal, an encoding string or `null`/`undefined`. Undefined for anything else (a variable could
 * hold a string, and spreading a string is not the same options object).
 */
export function flushEdit(sourceCode: SourceCode, style: FileStyle, finding: UnsyncedRename): TextEdit | undefined {
  const c = code(style);
  const call = finding.write;
  const index = finding.writeMember.options;
  if (style.flushIgnored) return undefined;
  if (call.type !== 'CallExpression' || !finding.writeMember.flushOption || index === undefined) return undefined;
  // fslib's options take no `flush` (its types refuse it, a ZipFS would ignore it).
  if (fslibObjectOf(sourceCode, call.callee)) return undefined;
  // The flag fsyncs when the write settles (a stream: on 'close', after 'finish'): no use to a rename
  // that can run before that.
  if (!finding.settlesBeforeRename) return undefined;
  const args = call.arguments as ESTree.Node[];
  if (args.some((a) => a.type === 'SpreadElement') || args.length < index) return undefined;
  const options = args[index];
  if (!options || isFunction(options)) {
    if (index === 0) {
      const open = sourceCode.getTokenAfter(call.callee, { filter: (t) => t.value === '(' });
      return open
        ? { range: [open.range[1], open.range[1]], text: c`{ flush: true }${options ? ', ' : ''}` }
        : undefined;
    }
    const end = rangeOf(args[index - 1] as ESTree.Node)[1];
    return { range: [end, end], text: c`, { flush: true }` };
  }
  if (options.type === 'Literal' && (typeof options.value === 'string' || options.value === null)) {
    const encoding = options.value === null ? '' : `encoding: ${sourceCode.getText(options)}, `;
    return { range: rangeOf(options), text: c`{ ${encoding}flush: true }` };
  }
  if (options.type === 'Identifier' && options.name === 'undefined')
    return { range: rangeOf(options), text: c`{ flush: true }` };
  if (options.type !== 'ObjectExpression') return undefined;
  const existing = options.properties.find(
    (p): p is ESTree.Property => p.type === 'Property' && propertyKeyName(p) === 'flush',
  );
  if (existing) {
    return existing.shorthand
      ? { range: rangeOf(existing), text: 'flush: true' }
      : { range: rangeOf(existing.value), text: 'true' };
  }
  const last = options.properties[options.properties.length - 1];
  if (!last) return { range: rangeOf(options), text: c`{ flush: true }` };
  const comma = sourceCode.getTokenAfter(last);
  const close = sourceCode.getLastToken(options);
  const multiline = !!close && close.loc.start.line !== last.loc?.end.line;
  const sep = multiline ? `${lineEnding(sourceCode)}${indentOf(sourceCode, last)}` : ' ';
  if (comma?.value === ',') return { range: [comma.range[1], comma.range[1]], text: `${sep}flush: true,` };
  return { range: [rangeOf(last)[1], rangeOf(last)[1]], text: `,${sep}flush: true` };
}

/**
 * `fixStyle: "flush"`: `flush: true` on the write, and after the rename an fsync of the
 * destination's directory, which is what makes the rename itself survive a power loss.
 * Safe when the rename is a statement (sync or awaited) and its destination can be evaluated again;
 * with `places: 'any'` (the codemod), also a callback rename or a `.then` handler's rename.
 */
export function flushStyleFix(
  sourceCode: SourceCode,
  plan: ImportPlan,
  finding: UnsyncedRename,
  places: 'statement' | 'any' = 'statement',
): TextEdit[] | undefined {
  const { writeMember } = finding;
  if (writeMember.path === undefined || !isTableMember(writeMember)) return undefined;
  // Where Node.js may ignore the flag, the file is fsynced right before the rename instead.
  const explicit =
    plan.style.flushIgnored ||
    (finding.write.type === 'CallExpression' && fslibObjectOf(sourceCode, finding.write.callee) !== undefined);
  const sync = explicit
    ? fsyncBeforeRename(sourceCode, plan, finding)?.edits
    : [flushEdit(sourceCode, plan.style, finding)].filter((e) => e !== undefined);
  const directorySync = sync?.length ? directorySyncAfterRename(sourceCode, plan, finding, places) : undefined;
  const apart = (a: TextEdit, b: TextEdit): boolean => a.range[1] < b.range[0] || b.range[1] < a.range[0];
  if (!sync || !directorySync || !sync.every((a) => directorySync.every((b) => apart(a, b)))) return undefined;
  return [...sync, ...directorySync];
}
