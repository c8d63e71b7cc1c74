/**
 * Verify, `--typecheck`: the project compiled before and after the rewrite, in memory, by the
 * project's own TypeScript (its `tsc --noEmit` on a scratch copy when it has no JS compiler API,
 * ts-morph's when it has none at all). A diagnostic the rewrite adds refuses the write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { diagnosticsByTsc, diagnosticsWith, hasCompilerApi, projectTypeScript } from '../../typecheck.js';
import { UsageError } from '../command.js';
import { pathToImport, resolvePeer } from '../dependencies.js';
import { addedBeyond } from '../../added.js';
import type { Check } from './check.js';

export async function typecheckChanges(
  cwd: string,
  tsconfigOption: string | undefined,
  changes: ReadonlyMap<string, string>,
  progress: (line: string) => void,
): Promise<Check> {
  const tsconfig = path.resolve(cwd, tsconfigOption ?? 'tsconfig.json');
  if (!fs.existsSync(tsconfig))
    throw new UsageError(`--typecheck: no ${path.relative(cwd, tsconfig)}; pass --tsconfig`);
  const added = await addedDiagnostics(cwd, tsconfig, changes, progress);
  return added.length
    ? {
        name: '--typecheck',
        outcome: 'refused',
        summary: `--typecheck: the rewrite adds ${added.length} diagnostic(s); nothing written:`,
        details: added,
      }
    : { name: '--typecheck', outcome: 'passed', summary: '--typecheck: no new diagnostics', details: [] };
}

/** Diagnostics the rewrite adds, as `file: TSnnnn message`, compared without positions. */
async function addedDiagnostics(
  cwd: string,
  tsconfig: string,
  changes: ReadonlyMap<string, string>,
  progress: (line: string) => void,
): Promise<string[]> {
  const own = projectTypeScript(cwd);
  if (own && !hasCompilerApi(own)) {
    progress(`--typecheck with the project's TypeScript ${own.version}: its tsc --noEmit (it has no JS compiler API)`);
    return newDiagnostics(diagnosticsByTsc(cwd, tsconfig, new Map()), diagnosticsByTsc(cwd, tsconfig, changes));
  }
  if (own) {
    progress(`--typecheck with the project's TypeScript ${own.version}`);
    return newDiagnostics(diagnosticsWith(own, cwd, tsconfig, new Map()), diagnosticsWith(own, cwd, tsconfig, changes));
  }
  const { Project } = (await import(pathToImport(resolvePeer('ts-morph', cwd)))) as typeof import('ts-morph');
  const project = new Project({ tsConfigFilePath: tsconfig });
  const keys = (): string[] =>
    project.getPreEmitDiagnostics().map((d) => {
      const message = d.getMessageText();
      const text = typeof message === 'string' ? message : message.getMessageText();
      return `${path.relative(cwd, d.getSourceFile()?.getFilePath() ?? tsconfig)}: TS${d.getCode()} ${text}`;
    });
  const before = keys();
  for (const [file, text] of changes) {
    const existing = project.getSourceFile(file);
    if (existing) existing.replaceWithText(text);
    else if (/\.[cm]?tsx?$/.test(file)) project.createSourceFile(file, text, { overwrite: true });
  }
  return newDiagnostics(before, keys());
}

/** Diagnostics in `after` beyond those in `before`, counted, compared without positions. */
const newDiagnostics = (before: readonly string[], after: readonly string[]): string[] =>
  addedBeyond(before, after, (d) => d);
