#!/usr/bin/env node
// Real-world evaluation of durable-write/no-unsynced-rename, on two hand-labelled sets:
//   packages: the shipped JS of published npm packages (test/evaluation/packages.json + labels.json,
//             fetched into .scratch/eval-corpus/ by scripts/fetch-eval-corpus.js);
//   sources:  source files of GitHub projects pinned by commit (test/evaluation/sources.json,
//             materialised into .scratch/eval-sources/ by scripts/fetch-eval-sources.js).
// Lints the listed files with the built plugin, matches the rule's reports against the labels and
// prints TP/FP/FN/TN, precision and recall (per package; per project and per shape), and every
// miss and false positive with the label's `why`.
//
// Usage:
//   npm run build && node scripts/evaluate.js            # both sets
//   node scripts/evaluate.js --set packages|sources      # one set
//   node scripts/evaluate.js --json                      # machine-readable
//   node scripts/evaluate.js --set sources --markdown    # set 2's tables for docs/evaluation.md
//   node scripts/evaluate.js --plugin path/to/plugin.js  # another build of the plugin
//   node scripts/evaluate.js --no-cross-module           # settings['durable-write'].crossModule = false
//   node scripts/evaluate.js --dependencies              # the rule's opt-in option dependencies: true
//   node scripts/evaluate.js --set 3 --half dev          # set 3 and up (npm packages new to the evaluation), one half;
//                                                        # --half held-out only twice: a baseline and the end;
//                                                        # it prints counts only (--details lists the sites)
//   node scripts/evaluate.js --set 5 --half all --fetch-only   # fetch and parse-check the manifest; no lint
//
// It is a report, not a gate: it exits 0 whatever the numbers are (1 only when
// it cannot run at all, e.g. the plugin has not been built).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusDir, fetchCorpus, packageDirName, readPackages } from './fetch-eval-corpus.js';
import { evaluateNpmSet, fetchNpmSet, NPM_SETS, printNpmSet } from './lib/evaluate-npm-set.js';
import { evaluateSources, printSources, sourcesMarkdown } from './lib/evaluate-sources.js';
import {
  EvaluationSetupError,
  lintWithInventory,
  loadPlugin,
  pct,
  ratios,
  renamedAtLine,
  RULE_ID,
} from './lib/evaluation.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const asMarkdown = args.includes('--markdown');
const setArg = args.includes('--set') ? args[args.indexOf('--set') + 1] : 'all';
const settings = args.includes('--no-cross-module') ? { 'durable-write': { crossModule: false } } : undefined;
// The opt-in detection of dependencies that publish without an fsync (the rule's `dependencies` option).
const ruleOptions = args.includes('--dependencies') ? { dependencies: true } : undefined;
const halfArg = args.includes('--half') ? args[args.indexOf('--half') + 1] : undefined;
// Fetches and parse-checks an npm set without linting: for checking a manifest before its first run.
const fetchOnly = args.includes('--fetch-only');
const pluginArg = args.includes('--plugin') ? args[args.indexOf('--plugin') + 1] : undefined;
const pluginPath = path.resolve(root, pluginArg ?? 'dist/src/index.js');
const log = asJson || asMarkdown ? () => {} : (...a) => console.log(...a);

function fail(message) {
  console.error(`evaluate: ${message}`);
  process.exit(1);
}

async function evaluatePackages(plugin) {
  const packages = readPackages();
  const labelsFile = path.join(root, 'test', 'evaluation', 'labels.json');
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')).labels;

  const fetched = (p) =>
    existsSync(path.join(corpusDir, packageDirName(p.name, p.version))) &&
    (p.dependencies ?? []).every((d) =>
      existsSync(path.join(corpusDir, packageDirName(p.name, p.version), 'node_modules', d.name, 'package.json')),
    );
  if (!packages.every(fetched)) {
    log('Corpus incomplete; fetching with scripts/fetch-eval-corpus.js ...');
    fetchCorpus({ log });
  }

  // Lint scope: only the listed files, each with its package's module system.
  const fileEntries = [];
  const configs = [];
  for (const p of packages) {
    const dir = packageDirName(p.name, p.version);
    configs.push({
      files: [`${dir}/**/*.{js,cjs,mjs}`],
      languageOptions: { sourceType: p.sourceType ?? 'commonjs' },
    });
    for (const f of p.files) fileEntries.push({ pkg: p, file: f, rel: `${dir}/${f}` });
  }
  const { byFile, lintMs } = await lintWithInventory({
    plugin,
    cwd: corpusDir,
    files: fileEntries.map((e) => e.rel),
    configs,
    settings,
    ruleOptions,
  });

  const reports = []; // rule reports
  const sites = []; // syntactic rename sites
  const fatal = [];
  const otherMessages = [];
  for (const entry of fileEntries) {
    const result = byFile.get(entry.rel);
    if (!result) continue;
    const rec = (m) => ({ package: entry.pkg.name, file: entry.file, ...m });
    fatal.push(...result.fatal.map(rec));
    reports.push(...result.reports.map(rec));
    sites.push(...result.sites.map(rec));
    otherMessages.push(...result.other.map(rec));
  }

  const key = (x) => `${x.package}\u0000${x.file}\u0000${x.line}`;
  const labelByKey = new Map(labels.map((l) => [key(l), l]));
  // A label's bug is found by a report on its line or on one of its `reportAt` lines (the calls of a
  // rename helper where the caller's write is visible); those lines are claimed by the label.
  const linesOf = (l) => [l.line, ...(l.reportAt ?? [])].map((line) => key({ ...l, line }));
  // A report at the call of a local rename helper names the line inside the helper that renames
  // ("(renamed by `renameSync()` at line 42)"): it finds the bug labelled on that line too.
  const pointedAt = (r) => {
    const line = renamedAtLine(r.message);
    return line === undefined ? undefined : key({ ...r, line });
  };
  const labelled = new Set(labels.map(key));
  const claimed = new Set(labels.flatMap(linesOf));
  const reportKeys = new Set(reports.map(key));

  const outcomes = labels.map((l) => {
    const lines = new Set(linesOf(l));
    const onLines = [...lines].some((k) => reportKeys.has(k));
    const reported = onLines || reports.some((r) => !claimed.has(key(r)) && pointedAt(r) === key(l));
    const outcome = l.expected === 'report' ? (reported ? 'TP' : 'FN') : reported ? 'FP' : 'TN';
    return {
      ...l,
      reported,
      ...(reported && !onLines ? { foundThrough: 'helper call' } : {}),
      outcome,
      messages: reports
        .filter((r) => lines.has(key(r)) || (!claimed.has(key(r)) && pointedAt(r) === key(l)))
        .map((r) => r.message),
    };
  });
  // A report on a line no label claims (and naming no labelled rename) is a false positive too (and
  // a hole in the labels).
  const unlabelledReports = reports.filter((r) => !claimed.has(key(r)) && !labelled.has(pointedAt(r)));
  const unlabelledSites = sites.filter((s) => !claimed.has(key(s)));
  const columnMismatches = sites
    .filter((s) => labelByKey.has(key(s)) && labelByKey.get(key(s)).column !== s.column)
    .map((s) => ({ ...s, labelColumn: labelByKey.get(key(s)).column }));
  // A call of a dependency that publishes without an fsync is a site of its own, not a rename call.
  const labelsWithoutSite = labels.filter((l) => l.site !== 'dependency-call' && !sites.some((s) => key(s) === key(l)));

  const count = (list) => {
    const c = { TP: 0, FP: 0, FN: 0, TN: 0 };
    for (const o of list) c[o.outcome]++;
    return c;
  };
  const perPackage = packages.map((p) => {
    const c = count(outcomes.filter((o) => o.package === p.name));
    c.FP += unlabelledReports.filter((r) => r.package === p.name).length;
    return { package: p.name, version: p.version, ...c, ...ratios(c) };
  });
  const overall = perPackage.reduce(
    (acc, p) => ({ TP: acc.TP + p.TP, FP: acc.FP + p.FP, FN: acc.FN + p.FN, TN: acc.TN + p.TN }),
    { TP: 0, FP: 0, FN: 0, TN: 0 },
  );
  Object.assign(overall, ratios(overall));

  // Slices that separate what the rule is specified to see from what it is not.
  const slice = (name, pred) => {
    const c = count(outcomes.filter(pred));
    return { slice: name, ...c, ...ratios(c) };
  };
  const hasTag = (o, t) => (o.tags ?? []).some((x) => x.startsWith(t));
  const slices = [
    slice('all labelled sites', () => true),
    slice('excluding category cross-function', (o) => o.category !== 'cross-function'),
    slice('excluding tag out-of-module-list', (o) => !hasTag(o, 'out-of-module-list')),
    slice(
      'same-function, supported modules only',
      (o) => o.category !== 'cross-function' && !hasTag(o, 'out-of-module-list'),
    ),
    slice('excluding category fsync-opt-out', (o) => o.category !== 'fsync-opt-out'),
  ];
  const categories = [...new Set(labels.map((l) => l.category))].map((cat) =>
    slice(`category ${cat}`, (o) => o.category === cat),
  );

  return {
    set: 'packages',
    packages: packages.length,
    lintedFiles: fileEntries.length,
    lintMs,
    labelledSites: labels.length,
    overall,
    perPackage,
    slices,
    categories,
    falseNegatives: outcomes.filter((o) => o.outcome === 'FN'),
    falsePositives: [
      ...outcomes.filter((o) => o.outcome === 'FP'),
      ...unlabelledReports.map((r) => ({
        ...r,
        outcome: 'FP',
        why: '(no label on this line: not a labelled rename site)',
      })),
    ],
    outcomes,
    labelsChangedAfterRule: labels.filter((l) => l.labelledAfterRule),
    labelCoverage: { unlabelledSites, labelsWithoutSite, columnMismatches },
    fatal,
    otherMessages,
  };
}

function printPackages(output) {
  const { perPackage, overall, slices, categories, fatal, lintedFiles, packages, labelledSites, lintMs } = output;
  const { unlabelledSites, labelsWithoutSite, columnMismatches } = output.labelCoverage;
  const w = Math.max(...perPackage.map((p) => `${p.package}@${p.version}`.length), 'package'.length);
  log(
    `\nSet 1: ${lintedFiles} files from ${packages} published packages (${labelledSites} labelled sites, lint ${lintMs} ms)\n`,
  );
  log(`${'package'.padEnd(w)}   TP   FP   FN   TN`);
  for (const p of perPackage) {
    log(
      `${`${p.package}@${p.version}`.padEnd(w)} ${[p.TP, p.FP, p.FN, p.TN].map((n) => String(n).padStart(4)).join(' ')}`,
    );
  }
  log(
    `${'TOTAL'.padEnd(w)} ${[overall.TP, overall.FP, overall.FN, overall.TN].map((n) => String(n).padStart(4)).join(' ')}`,
  );
  log(`\nprecision ${pct(overall.precision)}   recall ${pct(overall.recall)}\n`);
  const sw = Math.max(...[...slices, ...categories].map((s) => s.slice.length));
  log(`${'slice'.padEnd(sw)}   TP   FP   FN   TN  precision  recall`);
  for (const s of [...slices, ...categories]) {
    log(
      `${s.slice.padEnd(sw)} ${[s.TP, s.FP, s.FN, s.TN].map((n) => String(n).padStart(4)).join(' ')}     ${pct(s.precision)}  ${pct(s.recall)}`,
    );
  }
  const show = (title, list) => {
    log(`\n${title} (${list.length})`);
    for (const o of list) {
      log(`  ${o.package} ${o.file}:${o.line}:${o.column} [${o.category ?? 'unlabelled'}]`);
      log(`    why: ${o.why}`);
      if (o.tags && o.tags.length) log(`    tags: ${o.tags.join(', ')}`);
      for (const m of o.messages ?? (o.message ? [o.message] : [])) log(`    rule: ${m}`);
    }
  };
  show('False negatives', output.falseNegatives);
  show('False positives', output.falsePositives);
  log(`\nLabels changed after seeing the rule's output (${output.labelsChangedAfterRule.length})`);
  for (const l of output.labelsChangedAfterRule)
    log(`  ${l.package} ${l.file}:${l.line}: ${l.labelledAfterRuleReason}`);

  if (fatal.length) {
    log(`\nParse errors (${fatal.length}):`);
    for (const f of fatal) log(`  ${f.package} ${f.file}:${f.line}:${f.column} ${f.message}`);
  }
  if (unlabelledSites.length || labelsWithoutSite.length || columnMismatches.length) {
    log('\nLabel coverage problems (fix test/evaluation/labels.json):');
    for (const s of unlabelledSites) log(`  unlabelled rename site: ${s.package} ${s.file}:${s.line}:${s.column}`);
    for (const l of labelsWithoutSite)
      log(`  label without a rename-like call on its line: ${l.package} ${l.file}:${l.line}`);
    for (const c of columnMismatches)
      log(`  column: ${c.package} ${c.file}:${c.line} label ${c.labelColumn}, call starts at ${c.column}`);
  } else {
    log('\nLabel coverage: every rename/move-like call in the scanned files is labelled.');
  }
}

async function main() {
  const npmSet = NPM_SETS.find((n) => String(n) === setArg);
  if (!['all', 'packages', 'sources'].includes(setArg) && npmSet === undefined)
    fail(`--set must be packages, sources, ${NPM_SETS.join(', ')} or all, not ${setArg}`);
  if (fetchOnly) {
    if (npmSet === undefined) fail(`--fetch-only needs --set ${NPM_SETS.join(', ')}`);
    if (!['dev', 'held-out', 'all'].includes(halfArg)) fail('--fetch-only needs --half dev, held-out or all');
    const { packages, fetchMs, problems } = await fetchNpmSet({ set: npmSet, half: halfArg, log });
    log(`set ${npmSet} (${halfArg}): ${packages} packages fetched and parse-checked in ${fetchMs} ms`);
    for (const p of problems) log(`  ${p}`);
    if (problems.length) fail(`${problems.length} manifest problem(s)`);
    return;
  }
  if (npmSet !== undefined && !['dev', 'held-out'].includes(halfArg))
    fail(`--set ${npmSet} needs --half dev or --half held-out`);
  const plugin = await loadPlugin(pluginPath, root);
  if (npmSet !== undefined) {
    const started = Date.now();
    const result = await evaluateNpmSet({ set: npmSet, plugin, settings, ruleOptions, log, half: halfArg });
    result.totalMs = Date.now() - started;
    if (asJson)
      process.stdout.write(
        JSON.stringify(
          {
            rule: RULE_ID,
            plugin: path.relative(root, pluginPath),
            settings: settings ?? {},
            [`set${npmSet}`]: result,
          },
          null,
          2,
        ) + '\n',
      );
    else {
      printNpmSet(result, log, { details: halfArg !== 'held-out' || args.includes('--details') });
      log(`\nset ${npmSet} run: ${result.totalMs} ms`);
    }
    return;
  }
  const output = {
    rule: RULE_ID,
    plugin: path.relative(root, pluginPath),
    settings: settings ?? {},
    options: ruleOptions ?? {},
  };
  if (setArg !== 'sources') output.packages = await evaluatePackages(plugin);
  if (setArg !== 'packages') output.sources = await evaluateSources({ plugin, settings, ruleOptions, log });
  if (asJson) {
    process.stdout.write(JSON.stringify(output, null, 2) + '\n');
    return;
  }
  if (asMarkdown) {
    if (!output.sources) fail('--markdown prints the tables of set 2: use it without --set packages');
    process.stdout.write(sourcesMarkdown(output.sources) + '\n');
    return;
  }
  log(
    `${RULE_ID}, plugin ${output.plugin}${settings ? ' (crossModule: false)' : ''}${ruleOptions ? ' (dependencies: true)' : ''}`,
  );
  if (output.packages) printPackages(output.packages);
  if (output.sources) printSources(output.sources, log);
}

main().catch((err) => {
  if (err instanceof EvaluationSetupError) fail(err.message);
  console.error(err);
  process.exit(1);
});
