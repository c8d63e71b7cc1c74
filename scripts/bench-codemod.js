// `npm run bench:codemod`: the durable-write CLI (`fix`, dry run) against a jscodeshift identity
// transform that parses every file, over the same real files (node_modules + the pinned corpus of
// test/corpus, copied into a scratch git repo). Prints files/s for both and the ratio.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureCorpus, listSourceFiles, root } from './lib/corpus.js';

const corpus = ensureCorpus();
const files = listSourceFiles([path.join(root, 'node_modules'), path.join(corpus, 'node_modules')]).slice(0, 6000);
const work = path.join(root, '.scratch', 'bench-codemod');
fs.rmSync(work, { recursive: true, force: true });
files.forEach((file, i) => {
  const to = path.join(work, 'src', String(i % 100), `${i}${path.extname(file)}`);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(file, to);
});
execFileSync('git', ['init', '-q'], { cwd: work });
const identity = path.join(work, 'identity.cjs');
// Parses with the parser the codemod would pick, prints nothing: the cost a naive transform pays.
fs.writeFileSync(
  identity,
  "module.exports = (file, api) => { api.jscodeshift.withParser(/\\.[cm]?ts$/.test(file.path) ? 'ts' : 'tsx')(file.source); return undefined; };\n",
);
const time = (command, args) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) console.error(result.stderr.slice(-2000));
  return { seconds, result };
};
console.error(`bench:codemod: ${files.length} files`);
const cli = time(process.execPath, [path.join(root, 'dist', 'codemods', 'cli.js'), 'fix', 'src']);
const jscodeshift = time(process.execPath, [
  path.join(root, 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js'),
  '--no-babel',
  '-s',
  '--extensions=js,cjs,mjs,ts,mts,cts',
  '-t',
  identity,
  'src',
]);
const summary = cli.result.stderr
  .split('\n')
  .filter((l) => /^(files scanned|sites found|rewritten|left for review|unparsable|failed)/.test(l));
console.log(summary.join('\n'));
const rate = (s) => (files.length / s).toFixed(0);
console.log(
  `durable-write fix:            ${cli.seconds.toFixed(2)} s, ${rate(cli.seconds)} files/s (exit ${cli.result.status})`,
);
console.log(
  `jscodeshift identity parse:   ${jscodeshift.seconds.toFixed(2)} s, ${rate(jscodeshift.seconds)} files/s (exit ${jscodeshift.result.status})`,
);
console.log(`ratio: ${(jscodeshift.seconds / cli.seconds).toFixed(1)}x (target >= 5x)`);
