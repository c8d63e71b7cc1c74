/**
 * The fix of a project's own write/rename wrapper (`renameTmp(src, dst, cb)`, `writeAtomicSync(path,
 * data)`, a stream's close handler): inside its body, right before its fs rename, the temp file is
 * opened and fsynced, and after the rename the directory is fsynced, so that every caller's
 * publication becomes durable without touching the callers.
 */
import type { SourceCode } from 'eslint';
import type { UnsyncedRename } from '../engine/detector.js';
import type { Wrapper } from '../engine/wrapper.js';
import { completionOf } from './calls.js';
import { directorySyncAfterRename } from './directory-sync.js';
import { fsyncBeforeRename } from './fsync.js';
import { ImportPlan } from './imports.js';
import type { TextEdit } from './text.js';

export interface WrapperSync {
  /** The fsync call as the user reads it. */
  readonly call: string;
  /** The directory is fsynced after the rename too (not where the rename's completion is unknown). */
  readonly directory: boolean;
  readonly edits: readonly TextEdit[];
}

/** `finding` as if reported at the wrapper's own fs rename. */
const atWrapper = (finding: UnsyncedRename, wrapper: Wrapper): UnsyncedRename => ({
  ...finding,
  rename: wrapper.rename,
  renameMember: wrapper.member,
  renameName: wrapper.member.name,
  file: wrapper.file,
});

/** Insertions at one place are merged, in order: an edit list must not hold two at the same offset. */
function merged(edits: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const same = out.findIndex(
      (e) => e.range[0] === e.range[1] && edit.range[0] === edit.range[1] && e.range[0] === edit.range[0],
    );
    if (same >= 0) out[same] = { range: edit.range, text: `${(out[same] as TextEdit).text}${edit.text}` };
    else out.push(edit);
  }
  return out;
}

const apart = (a: TextEdit, b: TextEdit): boolean =>
  a.range[1] <= b.range[0] || b.range[1] <= a.range[0] || (a.range[0] === a.range[1] && b.range[0] === b.range[1]);

export function syncInWrapper(
  sourceCode: SourceCode,
  plan: ImportPlan,
  finding: UnsyncedRename,
  wrapper: Wrapper,
): WrapperSync | undefined {
  const at = atWrapper(finding, wrapper);
  // A rename that reports to a callback must still do so when the temp file is missing: the open's
  // error would be thrown at the wrapper's caller instead. Elsewhere the open fails as the rename
  // would have (thrown, or as the rejection of the promise returned), with the same code.
  const { rename, member } = wrapper;
  const reportsToCallback =
    completionOf(rename, member) === 'callback' && rename.arguments.length > (member.destination ?? 1) + 1;
  const before = fsyncBeforeRename(sourceCode, plan, at, { skipUnopenable: reportsToCallback });
  if (!before) return undefined;
  // Tried on a throwaway plan first: a directory fsync that does not fit must leave no import behind.
  const afterSync = (p: ImportPlan): TextEdit[] | undefined =>
    directorySyncAfterRename(sourceCode, p, at, 'any', { hoistCallback: true });
  const trial = afterSync(new ImportPlan(sourceCode, plan.style));
  const directory = !!trial && trial.every((a) => before.edits.every((b) => apart(a, b)));
  const after = directory ? afterSync(plan) : undefined;
  return {
    call: before.call,
    directory,
    edits: merged([...before.edits, ...(after ?? [])]),
  };
}
