/** `fix --vendor <file>`: the helper's sources copied into the project, re-exported from `<file>`. */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './command.js';
import { here } from './dependencies.js';

export interface Vendored {
  /** Files to write: path → text. */
  readonly files: Map<string, string>;
}

/** The helper's sources for `--vendor <file>`: `<file>` re-exports `<dir>/<name>/index`. */
export function vendorFiles(target: string): Vendored {
  const ext = path.extname(target);
  const base = path.basename(target, ext);
  const folder = path.join(path.dirname(target), base);
  let flavour: { dir: string; ext: string; entry: (spec: string) => string };
  const esm = { dir: 'esm', ext: '.mjs', entry: (spec: string) => `export * from '${spec}';\n` };
  const cjs = { dir: 'cjs', ext: '.cjs', entry: (spec: string) => `module.exports = require('${spec}');\n` };
  if (/^\.[cm]?ts$/.test(ext)) flavour = { dir: 'ts', ext: '.ts', entry: (spec) => `export * from '${spec.replace(/\.ts$/, '.js')}';\n` };
  else if (ext === '.mjs') flavour = esm;
  else if (ext === '.cjs') flavour = cjs;
  else if (ext === '.js') flavour = packageType(path.dirname(target)) === 'module' ? esm : cjs;
  else throw new UsageError(`--vendor needs a .ts, .mts, .cts, .js, .mjs or .cjs file, got ${target}`);
  const from = path.join(here, '..', '..', 'vendor', flavour.dir);
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(from)) files.set(path.join(folder, name), fs.readFileSync(path.join(from, name), 'utf8'));
  files.set(target, `// The durable write helper, vendored by \`durable-write fix --vendor\`.\n${flavour.entry(`./${base}/index${flavour.ext}`)}`);
  return { files };
}

function packageType(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const manifest = path.join(d, 'package.json');
    if (fs.existsSync(manifest)) return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: string }).type;
    if (path.dirname(d) === d) return undefined;
  }
}
