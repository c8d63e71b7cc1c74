// Evaluation sets 3 and up: npm packages new to the evaluation (test/evaluation/set<N>/), packed with
// npm into .scratch/eval-set<N>/ (checked against the pinned integrity), with the dependencies the
// labelled sites call packed into each package's node_modules/. Scores one half (dev or held-out)
// per shape with the same per-file scoring as set 2.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageDirName, packPackage } from '../fetch-eval-corpus.js';
import { setDir } from '../split-eval-set.js';
import { scoreFiles } from './evaluate-sources.js';
import { lintWithInventory, outcomeRow, pct, printTable } from './evaluation.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The sets this evaluator runs: every folder test/evaluation/set<N>/ that holds a labels.json, in order. */
export const NPM_SETS = readdirSync(path.join(root, 'test', 'evaluation'))
  .map((name) => /^set(\d+)$/.exec(name)?.[1])
  .filter((n) => n !== undefined && existsSync(path.join(root, 'test', 'evaluation', `set${n}`, 'labels.json')))
  .map(Number)
  .sort((a, b) => a - b);
const HALF_FILES = { dev: 'dev.json', 'held-out': 'held-out.json', all: 'labels.json' };
const corpusDir = (set) => path.join(root, '.scratch', `eval-set${set}`);

export function readHalf(set, half) {
  if (!HALF_FILES[half]) throw new Error(`--half must be dev or held-out (or all), not ${half}`);
  return JSON.parse(readFileSync(path.join(setDir(set), HALF_FILES[half]), 'utf8'));
}

function fetchPackage(set, p, log) {
  const dest = path.join(corpusDir(set), packageDirName(p.name, p.version));
  const stamp = path.join(dest, `.eval-set${set}-complete`);
  const wanted = JSON.stringify({ integrity: p.integrity, dependencies: p.dependencies });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  rmSync(dest, { recursive: true, force: true });
  const { integrity } = packPackage(p.name, p.version, dest);
  if (integrity !== p.integrity)
    throw new Error(`${p.name}@${p.version}: integrity ${integrity}, pinned ${p.integrity}`);
  for (const d of p.dependencies ?? []) packPackage(d.name, d.version, path.join(dest, 'node_modules', d.name));
  for (const f of p.files)
    if (!existsSync(path.join(dest, f))) throw new Error(`${p.name}@${p.version}: ${f} is not in the tarball`);
  writeFileSync(stamp, wanted);
  log(`fetched ${p.name}@${p.version}`);
}

// What Node would load the file as: .mjs/.cjs by extension, otherwise the nearest package.json's "type".
function nodeSourceType(packageDir, file) {
  if (file.endsWith('.mjs')) return 'module';
  if (file.endsWith('.cjs')) return 'commonjs';
  for (let dir = path.dirname(path.join(packageDir, file)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest))
      return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module' ? 'module' : 'commonjs';
    if (dir === packageDir) return 'commonjs';
  }
}

/**
 * Checks the listed files of one unpacked package without running anything of ours on them: that its
 * `sourceType` is the one Node would use, that ESLint's own parser (`linter`, an ESLint `Linter` with no
 * rules, given the evaluator's language options) parses each file, that each label's line holds its
 * code, and that a `reportAt` entry in another file names a listed file. Returns one problem per line.
 */
export function checkPackageFiles({ dir, pkg, labels, linter }) {
  const problems = [];
  for (const f of pkg.files) {
    const expected = nodeSourceType(dir, f);
    if (expected !== pkg.sourceType)
      problems.push(`${pkg.name} ${f}: listed as ${pkg.sourceType}, Node loads it as ${expected}`);
    const source = readFileSync(path.join(dir, f), 'utf8');
    const messages = linter.verify(source, { languageOptions: { ecmaVersion: 'latest', sourceType: pkg.sourceType } });
    for (const m of messages.filter((x) => x.fatal))
      problems.push(`${pkg.name} ${f}:${m.line}:${m.column} does not parse: ${m.message}`);
    const lines = source.split('\n');
    for (const l of labels.filter((x) => x.package === pkg.name && x.file === f))
      if (lines[l.line - 1]?.trim().slice(0, 120) !== l.code)
        problems.push(`${pkg.name} ${f}:${l.line}: the line does not hold the labelled code`);
  }
  for (const l of labels.filter((x) => x.package === pkg.name))
    for (const at of l.reportAt ?? [])
      if (typeof at !== 'number' && !pkg.files.includes(at.file))
        problems.push(`${pkg.name} ${l.file}:${l.line}: reportAt names ${at.file}, which is not a listed file`);
  return problems;
}

/**
 * Fetches a half (or `all`) of a set and checks its manifest without linting: the tarball's integrity,
 * that every listed file is there (fetchPackage), then checkPackageFiles. Returns the problems; none
 * means the manifest is usable.
 */
export async function fetchNpmSet({ set, half, log }) {
  const manifest = readHalf(set, half);
  const cwd = corpusDir(set);
  mkdirSync(cwd, { recursive: true });
  const { Linter } = await import('eslint');
  const linter = new Linter({ configType: 'flat' });
  const problems = [];
  const started = Date.now();
  for (const p of manifest.packages) {
    try {
      fetchPackage(set, p, log);
    } catch (err) {
      problems.push(`${p.name}@${p.version}: ${err.message}`);
      continue;
    }
    const dir = path.join(cwd, packageDirName(p.name, p.version));
    problems.push(...checkPackageFiles({ dir, pkg: p, labels: manifest.labels, linter }));
  }
  return { packages: manifest.packages.length, fetchMs: Date.now() - started, problems };
}

export async function evaluateNpmSet({ set, plugin, settings, ruleOptions, log, half }) {
  const manifest = readHalf(set, half);
  const cwd = corpusDir(set);
  mkdirSync(cwd, { recursive: true });
  const fetchStarted = Date.now();
  for (const p of manifest.packages) fetchPackage(set, p, log);
  const fetchMs = Date.now() - fetchStarted;

  const files = [];
  const configs = [];
  for (const p of manifest.packages) {
    const dir = packageDirName(p.name, p.version);
    for (const f of p.files) {
      files.push(`${dir}/${f}`);
      configs.push({ files: [`${dir}/${f}`], languageOptions: { sourceType: p.sourceType } });
    }
  }
  const { byFile, lintMs } = await lintWithInventory({ plugin, cwd, files, configs, settings, ruleOptions });

  const outcomes = [];
  const unlabelled = [];
  const fatal = [];
  const staleLabels = [];
  for (const p of manifest.packages) {
    const dir = packageDirName(p.name, p.version);
    const results = p.files.map((f) => ({
      file: f,
      result: byFile.get(path.join(dir, f)) ?? { reports: [], sites: [], fatal: [] },
    }));
    const labels = manifest.labels.filter((l) => l.package === p.name);
    for (const { file, result } of results) {
      for (const x of result.fatal) fatal.push({ package: p.name, file, ...x });
      const lines = readFileSync(path.join(cwd, dir, file), 'utf8').split('\n');
      for (const l of labels.filter((x) => x.file === file))
        if (lines[l.line - 1]?.trim().slice(0, 120) !== l.code) staleLabels.push(l);
    }
    // A package's files are scored together: a label's `reportAt` may name a line of another listed file.
    const scored = scoreFiles({ project: p.name, labels, results });
    outcomes.push(...scored.outcomes);
    unlabelled.push(...scored.unlabelled);
  }
  const row = outcomeRow;
  const perShape = Object.keys(manifest.shapes)
    .map((s) =>
      row(
        s,
        outcomes.filter((o) => o.shape === s),
      ),
    )
    .filter((r) => r.bugs + r.correct > 0);
  return {
    set,
    half,
    packages: manifest.packages.length,
    lintedFiles: files.length,
    labelledSites: outcomes.length,
    fetchMs,
    lintMs,
    overall: row('total', outcomes, unlabelled.length),
    perShape,
    misses: outcomes.filter((o) => o.outcome === 'FN'),
    foundThroughHelperCall: outcomes.filter((o) => o.outcome === 'TP' && o.foundThrough),
    falsePositives: outcomes.filter((o) => o.outcome === 'FP'),
    unlabelledFindings: unlabelled,
    staleLabels,
    fatal,
    labelsSha256: createHash('sha256')
      .update(readFileSync(path.join(setDir(set), 'labels.json')))
      .digest('hex'),
  };
}

/**
 * Prints a half's results. Without `details`, the misses, false positives and unlabelled reports are
 * counted, not listed: a held-out half's baseline then says nothing one could tune on before its last run.
 */
export function printNpmSet(out, log, { details = true } = {}) {
  log(
    `\nSet ${out.set} (${out.half}): ${out.packages} npm packages, ${out.lintedFiles} files, ${out.labelledSites} labelled sites (fetch ${out.fetchMs} ms, lint ${out.lintMs} ms)`,
  );
  log(`labels.json sha256 ${out.labelsSha256}`);
  log('');
  const rows = [...out.perShape, out.overall].map((r) => [
    r.name,
    r.bugs,
    r.found,
    pct(r.recall).trim(),
    r.correct,
    r.FP,
  ]);
  printTable(log, ['shape', 'bugs', 'found', 'recall', 'correct sites', 'false positives'], rows);
  log(
    `\nrecall ${out.overall.found}/${out.overall.bugs} = ${pct(out.overall.recall).trim()}, precision ${pct(out.overall.precision).trim()} (${out.overall.FP} false positives, reports on unlabelled lines included)`,
  );
  // Disclosed apart: bugs found only by a report at a helper's call that names the labelled rename line.
  const through = out.foundThroughHelperCall;
  const listed = (items, line) => (details && items.length ? ` (${items.map(line).join(', ')})` : '');
  log(
    `found only through a helper's call naming the labelled rename line: ${through.length}${listed(through, (o) => `${o.project} ${o.file}:${o.line}`)}`,
  );
  log(`\nMisses (${out.misses.length})`);
  if (details) for (const m of out.misses) log(`  [${m.shape}] ${m.project} ${m.file}:${m.line}\n    ${m.why}`);
  log(`\nFalse positives on labelled correct sites (${out.falsePositives.length})`);
  if (details)
    for (const f of out.falsePositives)
      log(`  [${f.shape}] ${f.project} ${f.file}:${f.line}\n    ${f.messages.join('\n    ')}`);
  log(`\nReports on unlabelled lines (${out.unlabelledFindings.length}, counted as false positives)`);
  if (details)
    for (const u of out.unlabelledFindings) log(`  ${u.project} ${u.file}:${u.line}:${u.column} ${u.message}`);
  if (!details)
    log('\n(sites not listed: a held-out half prints counts only; --details lists them, after its last run)');
  if (out.staleLabels.length)
    log(
      `\nLabels whose line no longer holds the labelled code (${out.staleLabels.length}): ${out.staleLabels.map((l) => `${l.package} ${l.file}:${l.line}`).join(', ')}`,
    );
  if (out.fatal.length)
    log(
      `\nParse errors (${out.fatal.length}):\n${out.fatal.map((f) => `  ${f.package} ${f.file}:${f.line} ${f.message}`).join('\n')}`,
    );
}
