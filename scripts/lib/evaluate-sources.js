// The second evaluation set: source files of GitHub projects, labelled in
// test/evaluation/sources.json and materialised by scripts/fetch-eval-sources.js. A labelled bug
// is found when the rule reports on one of its `reportAt` lines (default: the rename's line); a
// report at a local rename helper's call whose message names the labelled line as the rename inside
// the helper finds it too; a report on a correct site is a false positive; a report on no labelled line is an unlabelled
// finding, classified by hand in `reviewedFindings` (an unreviewed one counts as a false positive
// until someone looks at it).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fetchSources, projectDirName, readSources, sourcesDir } from '../fetch-eval-sources.js';
import { lintWithInventory, outcomeRow, pct, printTable, renamedAtLine } from './evaluation.js';

const TS = /\.[cm]?ts$/;

function languageOptions(file, project, tsParser) {
  if (TS.test(file)) return { parser: tsParser, sourceType: 'module' };
  if (file.endsWith('.cjs')) return { sourceType: 'commonjs' };
  if (file.endsWith('.mjs')) return { sourceType: 'module' };
  return { sourceType: project.sourceType ?? 'module' };
}

function isComplete(project) {
  return existsSync(path.join(sourcesDir, projectDirName(project), '.complete'));
}

/**
 * The lines of `file` where a report finds label `l`: its `reportAt` entries, by default its rename
 * line. A number is a line of the label's own file; `{ file, line }` is a line of another linted file
 * of the same package (a scaffolder's module that calls the rename helper of another).
 */
export function reportLines(l, file) {
  return (l.reportAt ?? [l.line]).flatMap((at) => {
    if (typeof at === 'number') return file === l.file ? [at] : [];
    return at.file === file ? [at.line] : [];
  });
}

/**
 * Scores the linted files of one package (or project) together: each label is found (TP), missed
 * (FN), wrongly reported (FP) or rightly left alone (TN); a report is claimed by a label when it is
 * on one of the label's `reportAt` lines in its file (default: the rename's line), so a bug reported
 * both at the helper call and inside the helper counts once. Reports no label claims are returned
 * with their review (or 'unreviewed'), and inventory sites on no label's lines are label gaps.
 * `results` holds one `{ file, result }` per linted file.
 */
export function scoreFiles({ project, labels, results, reviewed = [] }) {
  // Reports on some label's own lines belong to those labels alone.
  const labelledLines = new Map(
    results.map(({ file }) => [
      file,
      new Set(labels.flatMap((l) => [...(l.file === file ? [l.line] : []), ...reportLines(l, file)])),
    ]),
  );
  const outcomes = [];
  const claimed = new Set();
  for (const l of labels) {
    const onLines = results.flatMap(({ file, result }) =>
      result.reports.filter((r) => reportLines(l, file).includes(r.line)).map((r) => ({ file, r })),
    );
    // A report at a helper's call (no label's line) that names this label's line as the rename inside the helper.
    const through = results
      .filter(({ file }) => file === l.file)
      .flatMap(({ file, result }) =>
        result.reports
          .filter((r) => !labelledLines.get(file).has(r.line) && renamedAtLine(r.message) === l.line)
          .map((r) => ({ file, r })),
      );
    const hits = [...onLines, ...through];
    for (const h of hits) claimed.add(h.r);
    const reported = hits.length > 0;
    const outcome = l.kind === 'bug' ? (reported ? 'TP' : 'FN') : reported ? 'FP' : 'TN';
    outcomes.push({
      project,
      ...l,
      outcome,
      ...(onLines.length === 0 && through.length > 0 ? { foundThrough: 'helper call' } : {}),
      messages: hits.map(({ file, r }) => `${file === l.file ? '' : `${file}:`}${r.line}:${r.column} ${r.message}`),
    });
  }
  const unlabelled = results.flatMap(({ file, result }) =>
    result.reports
      .filter((r) => !claimed.has(r))
      .map((r) => {
        const review = reviewed.find((v) => v.project === project && v.file === file && v.line === r.line);
        return { project, file, ...r, verdict: review?.verdict ?? 'unreviewed', why: review?.why };
      }),
  );
  const unlabelledSites = results.flatMap(({ file, result }) =>
    result.sites.filter((s) => !labelledLines.get(file).has(s.line)).map((s) => ({ project, file, ...s })),
  );
  return { outcomes, unlabelled, unlabelledSites };
}

/** Scores one linted file alone (its labels' `reportAt` entries name only its own lines). */
export function scoreFile({ project, file, labels, result, reviewed = [] }) {
  return scoreFiles({ project, labels, results: [{ file, result }], reviewed });
}

export async function evaluateSources({ plugin, settings, ruleOptions, log }) {
  const manifest = readSources();
  if (manifest.projects.some((p) => !isComplete(p))) {
    log('Source set incomplete; fetching with scripts/fetch-eval-sources.js ...');
    const failures = await fetchSources({ log });
    if (failures.length) log(`(${failures.length} projects could not be fetched; they are left out of this run)`);
  }
  const projects = manifest.projects.filter(isComplete);
  const missingProjects = manifest.projects.filter((p) => !isComplete(p)).map((p) => p.project);
  const tsParser = (await import('@typescript-eslint/parser')).default;

  const configs = [];
  const files = [];
  for (const p of projects) {
    const dir = projectDirName(p);
    for (const f of p.files) {
      configs.push({ files: [`${dir}/${f}`], languageOptions: languageOptions(f, p, tsParser) });
      files.push(`${dir}/${f}`);
    }
  }
  const { byFile, lintMs } = await lintWithInventory({
    plugin,
    cwd: sourcesDir,
    files,
    configs,
    settings,
    ruleOptions,
  });

  const reviewed = manifest.reviewedFindings ?? [];
  const outcomes = [];
  const unlabelled = [];
  const unlabelledSites = [];
  const fatal = [];
  for (const p of projects) {
    const dir = projectDirName(p);
    for (const f of p.files) {
      const result = byFile.get(path.join(dir, f)) ?? { reports: [], sites: [], fatal: [] };
      for (const x of result.fatal) fatal.push({ project: p.project, file: f, ...x });
      const scored = scoreFile({
        project: p.project,
        file: f,
        labels: p.labels.filter((l) => l.file === f),
        result,
        reviewed,
      });
      outcomes.push(...scored.outcomes);
      unlabelled.push(...scored.unlabelled);
      unlabelledSites.push(...scored.unlabelledSites);
    }
  }

  // An unlabelled finding is a false positive unless a reviewer found a real bug there.
  const unlabelledFP = unlabelled.filter((u) => u.verdict !== 'true-positive');
  const row = outcomeRow;
  const perProject = projects.map((p) =>
    row(
      p.project,
      outcomes.filter((o) => o.project === p.project),
      unlabelledFP.filter((u) => u.project === p.project).length,
    ),
  );
  const shapeNames = Object.keys(manifest.shapes);
  const perShape = shapeNames
    .map((s) =>
      row(
        s,
        outcomes.filter((o) => o.shape === s),
      ),
    )
    .filter((r) => r.bugs + r.correct > 0);
  const overall = row('total', outcomes, unlabelledFP.length);

  return {
    set: 'sources',
    projects: projects.length,
    missingProjects,
    lintedFiles: files.length,
    lintMs,
    labelledSites: outcomes.length,
    overall,
    perProject,
    perShape,
    misses: outcomes.filter((o) => o.outcome === 'FN'),
    falsePositives: outcomes.filter((o) => o.outcome === 'FP'),
    unlabelledFindings: unlabelled,
    outcomes,
    labelCoverage: { unlabelledSites },
    labelsChangedAfterRule: outcomes.filter((o) => o.labelledAfterRule),
    fatal,
  };
}

export function printSources(out, log) {
  log(
    `\nSet 2: source files of ${out.projects} GitHub projects (${out.lintedFiles} files, ${out.labelledSites} labelled sites, lint ${out.lintMs} ms)`,
  );
  if (out.missingProjects.length) log(`  not fetched, left out: ${out.missingProjects.join(', ')}`);
  const rows = (list) => list.map((r) => [r.name, r.bugs, r.found, pct(r.recall).trim(), r.correct, r.FP]);
  const header = ['', 'bugs', 'found', 'recall', 'correct sites', 'false positives'];
  log('');
  printTable(log, ['project', ...header.slice(1)], rows(out.perProject));
  log('');
  printTable(log, ['shape', ...header.slice(1)], rows([...out.perShape, out.overall]));
  log(
    `\nrecall ${out.overall.found}/${out.overall.bugs} = ${pct(out.overall.recall).trim()}, precision ${pct(out.overall.precision).trim()} (${out.overall.FP} false positives, unlabelled findings included)`,
  );
  log(`\nMisses (${out.misses.length})`);
  for (const m of out.misses) {
    log(`  [${m.shape}${m.alsoNeeds ? ` + ${m.alsoNeeds.join(', ')}` : ''}] ${m.project} ${m.file}:${m.line}`);
    log(`    ${m.why}`);
  }
  log(`\nFalse positives on labelled correct sites (${out.falsePositives.length})`);
  for (const f of out.falsePositives)
    log(`  ${f.project} ${f.file}:${f.line} [${f.category ?? f.shape}]\n    ${f.messages.join('\n    ')}`);
  log(`\nFindings on unlabelled lines (${out.unlabelledFindings.length})`);
  for (const u of out.unlabelledFindings)
    log(`  ${u.verdict}: ${u.project} ${u.file}:${u.line}:${u.column} ${u.message}${u.why ? `\n    ${u.why}` : ''}`);
  if (out.labelsChangedAfterRule.length) {
    log(`\nLabels changed after seeing the rule's output (${out.labelsChangedAfterRule.length})`);
    for (const l of out.labelsChangedAfterRule)
      log(`  ${l.project} ${l.file}:${l.line}: ${l.labelledAfterRuleReason ?? ''}`);
  }
  for (const f of out.fatal) log(`  PARSE ERROR ${f.project} ${f.file}:${f.line}:${f.column} ${f.message}`);
  const gaps = out.labelCoverage.unlabelledSites;
  if (gaps.length) {
    log('\nLabel coverage problems (fix test/evaluation/sources.json):');
    for (const s of gaps) log(`  unlabelled rename site: ${s.project} ${s.file}:${s.line}:${s.column}`);
  } else {
    log('\nLabel coverage: every rename/move-like call in the linted files is labelled.');
  }
}

/** The set-2 tables of docs/evaluation.md, from one run: projects, labels, per shape, per project, misses. */
export function sourcesMarkdown(out) {
  const manifest = readSources();
  const percent = (x) => (x == null ? 'n/a' : `${Math.round(x * 100)} %`);
  const cell = (text) => String(text).replace(/\|/g, '\\|');
  const lines = [];
  const table = (header, rows) => {
    lines.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
    for (const r of rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
    lines.push('');
  };
  table(
    ['project', 'repository @ commit', 'files linted', 'bugs', 'correct'],
    manifest.projects.map((p) => [
      p.project,
      p.source?.npm
        ? `npm \`${p.source.npm}@${p.source.version}\` (${p.repo})`
        : `${p.repo} @ \`${p.commit.slice(0, 10)}\``,
      p.files.map((f) => `\`${f}\``).join(', '),
      p.labels.filter((l) => l.kind === 'bug').length,
      p.labels.filter((l) => l.kind === 'correct').length,
    ]),
  );
  table(
    ['project', 'file:line', 'kind', 'shape', 'also needs', 'why'],
    manifest.projects.flatMap((p) =>
      p.labels.map((l) => [
        p.project,
        `\`${l.file}:${l.line}\`${l.reportAt ? ` (report at ${l.reportAt.join(' or ')})` : ''}`,
        `${l.kind}${l.category ? ` (${l.category})` : ''}`,
        l.shape,
        (l.alsoNeeds ?? []).join(', '),
        `${l.why}${l.labelledAfterRule ? ` *Changed after the first run: ${l.labelledAfterRuleReason}*` : ''}`,
      ]),
    ),
  );
  table(
    ['shape', 'bugs', 'found', 'recall', 'correct sites', 'false positives'],
    [...out.perShape, out.overall].map((r) => [
      r.name === 'total' ? '**total**' : r.name,
      r.bugs,
      r.found,
      percent(r.recall),
      r.correct,
      r.FP,
    ]),
  );
  table(
    ['project', 'bugs', 'found', 'correct sites', 'false positives'],
    out.perProject.map((r) => [r.name, r.bugs, r.found, r.correct, r.FP]),
  );
  table(
    ['site', 'shape (+ also needs)', 'what the engine must see'],
    out.misses.map((m) => [
      `${m.project} \`${m.file}:${m.line}\``,
      `${m.shape}${m.alsoNeeds ? ` (+ ${m.alsoNeeds.join(', ')})` : ''}`,
      m.why,
    ]),
  );
  return lines.join('\n');
}
