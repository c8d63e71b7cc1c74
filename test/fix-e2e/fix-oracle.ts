/**
 * The fix tests' side of the execution oracle: lint a program in a scratch package that lists the
 * runtime in `dependencies`, collect what `eslint --fix`, each suggestion and the codemod make of it,
 * and run every version against the original (scripts/lib/execution-oracle.js judges them).
 */
import { writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { expect } from 'vitest';
import plugin from '../../src/index.js';
import { rewriteSource } from '../../codemods/engine.js';
import { decodeStraceString, stringArgs, traceNode } from '../durable/crash/strace-trace.js';
import {
  compareRuns,
  createScratch,
  fileNameFor,
  runProgram,
  type Lang,
  type Run,
} from '../../scripts/lib/execution-oracle.js';

export const RULE = 'durable-write/no-unsynced-rename';

export interface FixedVersion {
  readonly by: string;
  readonly text: string;
}

export const fixedBy = (versions: FixedVersion[], by: string): string => versions.find((v) => v.by === by)?.text ?? '';

/** A scratch root (remove it with `scratch.dispose()` after the tests) and the oracle's checks over it. */
export function createFixOracle(prefix: string) {
  const scratch = createScratch(prefix);
  // The files linted live under the scratch root: flat config matches paths relative to `cwd`.
  const linter = new Linter({ configType: 'flat', cwd: scratch.root });
  const configFor = (lang: Lang): Linter.Config[] => [
    {
      files: ['**/*.cjs', '**/*.mjs', '**/*.ts'],
      languageOptions:
        lang === 'ts'
          ? { parser: tsParser as never, sourceType: 'module' }
          : { sourceType: lang === 'cjs' ? 'commonjs' : 'module' },
      plugins: { 'durable-write': plugin as never },
      rules: { [RULE]: 'error' },
    },
  ];

  /** The program as `eslint --fix`, each suggestion alone, and the codemod leave it (when they change it). */
  function fixedVersions(
    text: string,
    lang: Lang,
    manifest?: Record<string, unknown>,
    beside: Record<string, string> = {},
  ): FixedVersion[] {
    // The file sits in a package that lists the runtime in `dependencies` (the helper rewrite is an
    // autofix), unless `manifest` says otherwise.
    const dir = scratch.packageDir(lang);
    for (const [name, content] of Object.entries(beside)) writeFileSync(join(dir, name), content);
    if (manifest) writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    const filename = join(dir, fileNameFor(lang));
    writeFileSync(filename, text);
    const versions: FixedVersion[] = [];
    const autofix = linter.verifyAndFix(text, configFor(lang), filename);
    if (autofix.fixed) versions.push({ by: 'eslint --fix', text: autofix.output });
    for (const message of linter.verify(text, configFor(lang), filename)) {
      for (const suggestion of message.suggestions ?? []) {
        const [start, end] = suggestion.fix.range;
        versions.push({
          by: `suggestion ${suggestion.messageId ?? suggestion.desc}`,
          text: text.slice(0, start) + suggestion.fix.text + text.slice(end),
        });
      }
    }
    const codemod = rewriteSource(text, filename);
    if (codemod.status === 'rewritten' && codemod.output) versions.push({ by: 'codemod', text: codemod.output });
    return versions;
  }

  const reportsOf = (text: string, lang: Lang): number =>
    linter
      .verify(text, configFor(lang), join(scratch.packageDir(lang), fileNameFor(lang)))
      .filter((m) => m.ruleId === RULE || m.ruleId === null).length;

  /**
   * Runs the program and every fixed version; each must behave the same, durably, and be clean.
   * `expectedBy` names the fixers that must have changed it; `manifest`, the package.json of the
   * file linted (by default one that lists the runtime in `dependencies`).
   */
  function expectFixesPreserveBehaviour(
    text: string,
    lang: Lang,
    {
      expectedBy = ['eslint --fix', 'codemod'],
      manifest,
      wholeProgramBy,
      beside = {},
    }: {
      expectedBy?: readonly string[];
      manifest?: Record<string, unknown>;
      /** Modules of the program's own, put next to it (an fs adapter it imports). */
      beside?: Record<string, string>;
      /**
       * The fixers that must make the whole program durable; the others (a suggestion at one of
       * several callers) must keep its behaviour and leave no more unsynced renames than before.
       * By default, every fixer.
       */
      wholeProgramBy?: readonly string[];
    } = {},
  ): { before: Run; versions: FixedVersion[] } {
    const before = runProgram(scratch, { text, lang, traced: true, beside });
    expect(before.escaped).toEqual([]);
    expect(before.unsyncedRenames).toBeGreaterThan(0);
    const versions = fixedVersions(text, lang, manifest, beside);
    expect(versions.length).toBeGreaterThan(0);
    for (const by of expectedBy) expect(versions.map((v) => v.by)).toContain(by);
    for (const version of versions) {
      const after = runProgram(scratch, { text: version.text, lang, traced: true, beside });
      // The helper's errors are DurableWriteError with fs's code: a listed difference of the summary.
      expect({ by: version.by, differences: compareRuns(before, after, new Set(['error-class'])) }).toEqual({
        by: version.by,
        differences: [],
      });
      if (wholeProgramBy && !wholeProgramBy.includes(version.by)) {
        expect({
          by: version.by,
          fewer: (after.unsyncedRenames ?? Number.NaN) < (before.unsyncedRenames ?? Number.NaN),
        }).toEqual({
          by: version.by,
          fewer: true,
        });
        continue;
      }
      expect({ by: version.by, unsynced: after.unsyncedRenames }).toEqual({ by: version.by, unsynced: 0 });
      expect({ by: version.by, reports: reportsOf(version.text, lang) }).toEqual({ by: version.by, reports: 0 });
    }
    return { before, versions };
  }

  /**
   * What a run of `text` does for durability, in order, under strace: `fsync <file>` (relative to
   * its data directory, `.` for the directory itself) and `rename <from> → <to>`, successful calls only.
   * `beside` holds files to put next to the program (a module it requires).
   */
  function durabilityEvents(text: string, lang: Lang, beside: Record<string, string> = {}): string[] {
    const dir = scratch.packageDir(lang);
    const data = join(dir, 'data');
    const program = join(dir, lang === 'ts' ? 'program.mjs' : fileNameFor(lang));
    for (const [name, content] of Object.entries(beside)) writeFileSync(join(dir, name), content);
    writeFileSync(program, text);
    const calls = traceNode([program], join(dir, 'strace.log'), { cwd: data });
    const relative = (file: string): string => path.relative(data, path.resolve(data, file)) || '.';
    const events: string[] = [];
    for (const call of calls) {
      if (call.result !== 0) continue;
      const fd = /^\d+<([^>]*)>/.exec(call.args);
      if (/^f(?:data)?sync$/.test(call.name) && fd?.[1] !== undefined) {
        const file = decodeStraceString(fd[1]);
        if (file === data || file.startsWith(`${data}/`)) events.push(`fsync ${relative(file)}`);
      } else if (call.name.startsWith('rename')) {
        const [from, to] = stringArgs(call.args).map((bytes) => relative(Buffer.from(bytes).toString('utf8')));
        events.push(`rename ${from} → ${to}`);
      }
    }
    return events;
  }

  return { scratch, fixedVersions, expectFixesPreserveBehaviour, reportsOf, durabilityEvents };
}
