// `npm run check:evaluation`: evaluation set 1 (the shipped JS of published npm packages, fetched
// by `npm pack` at pinned versions and checked against pinned integrity) as a CI gate. The counts
// must equal the reviewed ones in test/evaluation/packages.json's `expected`: a new false positive,
// a lost detection or a label that no longer matches a site fails until someone reviews it. It runs
// with the opt-in `dependencies: true`, so that the dependency-call label (lowdb's TextFile.write) is gated too.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { expected } = JSON.parse(readFileSync(path.join(root, 'test/evaluation/packages.json'), 'utf8'));
const output = execFileSync(
  process.execPath,
  [path.join(root, 'scripts/evaluate.js'), '--set', 'packages', '--dependencies', '--json'],
  {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  },
);
const result = JSON.parse(output).packages;
const measured = { labelledSites: result.labelledSites, ...result.overall };
const problems = Object.entries(expected)
  .filter(([key, value]) => !key.startsWith('$') && measured[key] !== value)
  .map(([key, value]) => `${key}: ${measured[key]}, expected ${value}`);
if (result.fatal.length > 0)
  problems.push(
    `${result.fatal.length} files did not parse: ${result.fatal.map((f) => `${f.package} ${f.file}`).join(', ')}`,
  );
const misses = [...result.falsePositives, ...result.falseNegatives].map((m) => `  ${JSON.stringify(m)}`);
console.log(
  `evaluation set 1 (packages): ${result.packages} packages, ${result.lintedFiles} files, TP ${measured.TP} FP ${measured.FP} FN ${measured.FN} TN ${measured.TN}, recall ${measured.recall}`,
);
if (problems.length > 0) {
  console.error(
    `evaluation set 1 differs from the reviewed counts:\n  ${problems.join('\n  ')}${misses.length ? `\n${misses.join('\n')}` : ''}`,
  );
  process.exit(1);
}
