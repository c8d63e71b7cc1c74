/**
 * Phase 3 of `durable-write fix --write`, only for a plan the checks did not refuse: the files
 * written durably (never one edited while the workers ran), the runtime dependency or the vendored
 * copy (with its place in the package's `files`), the project's formatter, and the project's
 * linters on the written files, compared with their baseline from the verify phase.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurableSync } from 'durable-write-runtime';
import { formatFiles, projectFormatter } from '../../formatter.js';
import { lintAfterWriting, type PendingProjectLint } from '../../project-lint.js';
import { shipVendoredFile } from '../vendor.js';
import { plannedChanges, type FixPlan } from './plan.js';

export interface Applied {
  /** Files not written because they changed during the run, as relative paths. */
  readonly changedMeanwhile: readonly string[];
  /** What the package's `files` needed for the vendored copy to be packed, if anything. */
  readonly packaging: string | undefined;
  /** `--format-code`: what the formatter did, or why it did not run. */
  readonly formatted: string | undefined;
  /** The project lint's summary lines (problems the rewrite introduced, what --fix-lint changed). */
  readonly projectLint: readonly string[];
}

export async function applyPlan(
  plan: FixPlan,
  lintBaseline: PendingProjectLint | string | undefined,
  options: { readonly formatCode: boolean; readonly fixLint: boolean },
): Promise<Applied> {
  const { cwd } = plan;
  const changedMeanwhile: string[] = [];
  for (const r of plan.rewrites) {
    if (fs.readFileSync(r.path, 'utf8') !== r.source) {
      changedMeanwhile.push(path.relative(cwd, r.path));
      continue;
    }
    writeFileDurableSync(r.path, r.output);
  }
  for (const change of plan.dependencies) writeFileDurableSync(change.manifest, change.text);
  let packaging: string | undefined;
  if (plan.vendor && plan.importing.length) {
    for (const [file, text] of plan.vendor.files) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileDurableSync(file, text);
    }
    packaging = shipVendoredFile(plan.vendor.target, cwd, plan.importing);
  }
  let formatted: string | undefined;
  if (options.formatCode && plan.rewrites.length) {
    const changed = [...plannedChanges(plan, { manifests: false }).keys()];
    const formatter = projectFormatter(cwd);
    if (typeof formatter === 'string') formatted = `not formatted: ${formatter}`;
    else {
      formatFiles(formatter, cwd, changed);
      formatted = `formatted with the project's ${formatter.name}: ${changed.length} files`;
    }
  }
  const projectLint =
    lintBaseline === undefined
      ? []
      : typeof lintBaseline === 'string'
        ? [lintBaseline]
        : await lintAfterWriting(lintBaseline, options.fixLint);
  return { changedMeanwhile, packaging, formatted, projectLint };
}
