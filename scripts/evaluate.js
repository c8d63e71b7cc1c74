#!/usr/bin/env node
// Real-world evaluation of durable-write/no-unsynced-rename.
//
// Lints the files listed in test/evaluation/packages.json (fetched into
// .scratch/eval-corpus/ by scripts/fetch-eval-corpus.js, run here if needed)
// with the built plugin, matches the rule's reports against the hand labels in
// test/evaluation/labels.json by package/file/line, and prints TP/FP/FN/TN per
// package, precision and recall, and every FN and FP with the label's `why`.
//
// Usage:
//   npm run build && node scripts/evaluate.js           # table
//   node scripts/evaluate.js --json                      # machine-readable
//   node scripts/evaluate.js --plugin path/to/plugin.js  # another build of the plugin
//
// It is a report, not a gate: it exits 0 whatever the numbers are (1 only when
// it cannot run at all, e.g. the plugin has not been built).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corpusDir, fetchCorpus, packageDirName, readPackages } from './fetch-eval-corpus.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RULE_ID = 'durable-write/no-unsynced-rename';
const SITE_RULE_ID = 'eval-sites/rename-site';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const pluginArg = args.includes('--plugin') ? args[args.indexOf('--plugin') + 1] : undefined;
const pluginPath = path.resolve(root, pluginArg ?? 'dist/src/index.js');
const log = asJson ? () => {} : (...a) => console.log(...a);

function fail(message) {
  console.error(`evaluate: ${message}`);
  process.exit(1);
}

// A syntactic inventory of rename/move-like calls, used only to check that the
// labels cover every site in the scanned files (an unlabelled site is a gap in
// the labels, not a result of the rule). Matches `rename(...)`, `x.renameSync(...)`,
// `moveFile(...)`, `promisify(fs.rename)(...)`, `fs.retry.rename(o)(...)`, etc.
const RENAME_NAMES = /^(rename|renameSync|move|moveSync|moveFile|renameOverwrite|renameOverwriteSync|renameAsync|renameTmp)$/;
function calleeName(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type !== 'PrivateIdentifier') {
    return node.property.name;
  }
  return null;
}
function isRenameSite(call) {
  const direct = calleeName(call.callee);
  if (direct && RENAME_NAMES.test(direct)) return true;
  // Curried / promisified: promisify(fs.rename)(a, b), fs.retry.rename(opts)(a, b)
  if (call.callee.type === 'CallExpression') {
    const inner = call.callee;
    const innerName = calleeName(inner.callee);
    if (innerName && RENAME_NAMES.test(innerName)) return true;
    if (innerName === 'promisify' && inner.arguments[0]) {
      const arg = calleeName(inner.arguments[0]);
      if (arg && RENAME_NAMES.test(arg)) return true;
    }
  }
  return false;
}
const sitePlugin = {
  rules: {
    'rename-site': {
      meta: { type: 'problem', schema: [], messages: { site: 'rename/move call site' } },
      create(context) {
        return {
          CallExpression(node) {
            // Skip the inner call of a curried site so each site counts once.
            if (node.parent.type === 'CallExpression' && node.parent.callee === node && isRenameSite(node.parent)) return;
            if (isRenameSite(node)) context.report({ node, messageId: 'site' });
          },
        };
      },
    },
  },
};

async function main() {
  const packages = readPackages();
  const labelsFile = path.join(root, 'test', 'evaluation', 'labels.json');
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')).labels;

  if (packages.some((p) => !existsSync(path.join(corpusDir, packageDirName(p.name, p.version))))) {
    log('Corpus incomplete; fetching with scripts/fetch-eval-corpus.js ...');
    fetchCorpus({ log });
  }

  if (!existsSync(pluginPath)) {
    fail(`plugin not found at ${path.relative(root, pluginPath)}; run \`npm run build\` first`);
  }
  const pluginModule = await import(pathToFileURL(pluginPath).href);
  const plugin = pluginModule.default ?? pluginModule;
  if (!plugin.rules || !plugin.rules['no-unsynced-rename']) {
    fail(`${path.relative(root, pluginPath)} has no rule 'no-unsynced-rename'`);
  }

  let ESLint;
  try {
    ({ ESLint } = await import('eslint'));
  } catch {
    fail('eslint is not installed; run `npm ci`');
  }

  // Lint scope: only the listed files, each with its package's module system.
  const fileEntries = [];
  const configs = [
    {
      files: ['**/*.{js,cjs,mjs}'],
      plugins: { 'durable-write': plugin, 'eval-sites': sitePlugin },
      rules: { [RULE_ID]: 'error', [SITE_RULE_ID]: 'warn' },
      languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
      linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
    },
  ];
  for (const p of packages) {
    const dir = packageDirName(p.name, p.version);
    configs.push({
      files: [`${dir}/**/*.{js,cjs,mjs}`],
      languageOptions: { sourceType: p.sourceType ?? 'commonjs' },
    });
    for (const f of p.files) fileEntries.push({ pkg: p, file: f, rel: `${dir}/${f}` });
  }

  const eslint = new ESLint({
    cwd: corpusDir,
    overrideConfigFile: true,
    overrideConfig: configs,
    ignore: false,
  });
  const t0 = Date.now();
  const results = await eslint.lintFiles(fileEntries.map((e) => e.rel));
  const lintMs = Date.now() - t0;

  const byAbs = new Map(fileEntries.map((e) => [path.join(corpusDir, e.rel), e]));
  const reports = []; // rule reports
  const sites = []; // syntactic rename sites
  const fatal = [];
  const otherMessages = [];
  for (const r of results) {
    const entry = byAbs.get(r.filePath);
    if (!entry) continue;
    for (const m of r.messages) {
      const rec = { package: entry.pkg.name, file: entry.file, line: m.line, column: m.column, message: m.message };
      if (m.fatal) fatal.push(rec);
      else if (m.ruleId === RULE_ID) reports.push(rec);
      else if (m.ruleId === SITE_RULE_ID) sites.push(rec);
      else otherMessages.push({ ...rec, ruleId: m.ruleId });
    }
  }

  const key = (x) => `${x.package}\u0000${x.file}\u0000${x.line}`;
  const labelByKey = new Map(labels.map((l) => [key(l), l]));
  const reportKeys = new Set(reports.map(key));

  const outcomes = labels.map((l) => {
    const reported = reportKeys.has(key(l));
    const outcome =
      l.expected === 'report' ? (reported ? 'TP' : 'FN') : reported ? 'FP' : 'TN';
    return { ...l, reported, outcome, messages: reports.filter((r) => key(r) === key(l)).map((r) => r.message) };
  });
  // A report on a line with no label is a false positive too (and a hole in the labels).
  const unlabelledReports = reports.filter((r) => !labelByKey.has(key(r)));
  const unlabelledSites = sites.filter((s) => !labelByKey.has(key(s)));
  const columnMismatches = sites
    .filter((s) => labelByKey.has(key(s)) && labelByKey.get(key(s)).column !== s.column)
    .map((s) => ({ ...s, labelColumn: labelByKey.get(key(s)).column }));
  const labelsWithoutSite = labels.filter((l) => !sites.some((s) => key(s) === key(l)));

  const count = (list) => {
    const c = { TP: 0, FP: 0, FN: 0, TN: 0 };
    for (const o of list) c[o.outcome]++;
    return c;
  };
  const ratios = (c) => ({
    precision: c.TP + c.FP === 0 ? null : c.TP / (c.TP + c.FP),
    recall: c.TP + c.FN === 0 ? null : c.TP / (c.TP + c.FN),
  });

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
    slice('same-function, supported modules only', (o) => o.category !== 'cross-function' && !hasTag(o, 'out-of-module-list')),
    slice('excluding category fsync-opt-out', (o) => o.category !== 'fsync-opt-out'),
  ];
  const categories = [...new Set(labels.map((l) => l.category))].map((cat) => slice(`category ${cat}`, (o) => o.category === cat));

  const output = {
    rule: RULE_ID,
    plugin: path.relative(root, pluginPath),
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
      ...unlabelledReports.map((r) => ({ ...r, outcome: 'FP', why: '(no label on this line: not a labelled rename site)' })),
    ],
    outcomes,
    labelCoverage: { unlabelledSites, labelsWithoutSite, columnMismatches },
    fatal,
    otherMessages,
  };

  if (asJson) {
    process.stdout.write(JSON.stringify(output, null, 2) + '\n');
    return;
  }

  const pct = (x) => (x == null ? '  n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);
  const w = Math.max(...perPackage.map((p) => `${p.package}@${p.version}`.length), 'package'.length);
  log(`\n${RULE_ID} on ${fileEntries.length} files from ${packages.length} packages (${labels.length} labelled sites, lint ${lintMs} ms)\n`);
  log(`${'package'.padEnd(w)}   TP   FP   FN   TN`);
  for (const p of perPackage) {
    log(`${`${p.package}@${p.version}`.padEnd(w)} ${[p.TP, p.FP, p.FN, p.TN].map((n) => String(n).padStart(4)).join(' ')}`);
  }
  log(`${'TOTAL'.padEnd(w)} ${[overall.TP, overall.FP, overall.FN, overall.TN].map((n) => String(n).padStart(4)).join(' ')}`);
  log(`\nprecision ${pct(overall.precision)}   recall ${pct(overall.recall)}\n`);
  const sw = Math.max(...[...slices, ...categories].map((s) => s.slice.length));
  log(`${'slice'.padEnd(sw)}   TP   FP   FN   TN  precision  recall`);
  for (const s of [...slices, ...categories]) {
    log(`${s.slice.padEnd(sw)} ${[s.TP, s.FP, s.FN, s.TN].map((n) => String(n).padStart(4)).join(' ')}     ${pct(s.precision)}  ${pct(s.recall)}`);
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

  if (fatal.length) {
    log(`\nParse errors (${fatal.length}):`);
    for (const f of fatal) log(`  ${f.package} ${f.file}:${f.line}:${f.column} ${f.message}`);
  }
  if (unlabelledSites.length || labelsWithoutSite.length || columnMismatches.length) {
    log('\nLabel coverage problems (fix test/evaluation/labels.json):');
    for (const s of unlabelledSites) log(`  unlabelled rename site: ${s.package} ${s.file}:${s.line}:${s.column}`);
    for (const l of labelsWithoutSite) log(`  label without a rename-like call on its line: ${l.package} ${l.file}:${l.line}`);
    for (const c of columnMismatches) log(`  column: ${c.package} ${c.file}:${c.line} label ${c.labelColumn}, call starts at ${c.column}`);
  } else {
    log('\nLabel coverage: every rename/move-like call in the scanned files is labelled.');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
