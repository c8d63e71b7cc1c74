/**
 * `--ignore <glob>`: occurrences a CI run has decided not to hear about, matched in the traced
 * process itself (before counting, so a count is never a mix of ignored and kept renames). A glob
 * is matched against the renamed paths (both names) and the files of the write and rename sites,
 * the user's and the dependency's: `test/fixtures/**` drops fixtures moved by the tests,
 * `test/**` drops renames made by test code, `node_modules/vitest/**` a dependency's own.
 * Paths inside `cwd` are matched relative to it, others absolute; `dot` files match too.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { CallSite } from './sites.js';
import type { Occurrence } from './tracker.js';

export type IgnoreTest = (occurrence: Occurrence) => boolean;

export function ignoreTest(globs: readonly string[], cwd: string): IgnoreTest | undefined {
  if (globs.length === 0) return undefined;
  const matches = picomatch([...globs], { dot: true });
  const test = (file: string | undefined): boolean => {
    if (file === undefined) return false;
    const relative = path.relative(cwd, file);
    const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    return matches(inside ? relative.split(path.sep).join('/') : file);
  };
  const siteFiles = (call: CallSite | undefined): (string | undefined)[] => [
    call?.site?.file,
    call?.package?.site.file,
    ...(call?.via ?? []).map((frame) => frame.site.file),
  ];
  return (occurrence) =>
    [occurrence.from, occurrence.to, ...siteFiles(occurrence.write), ...siteFiles(occurrence.rename)].some(test);
}
