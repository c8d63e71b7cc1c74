import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const SOURCE_DIR = resolve(import.meta.dirname, '../../../src/durable');
const EMITTED = resolve(import.meta.dirname, '../../../.scratch/durable-js');
const require = createRequire(import.meta.url);
const compiler = require('typescript/package.json') as { version: string };
const compilerOptions = { module: 'ESNext', target: 'ES2022' } as const;
let built: string | undefined;

/**
 * Child processes and workers cannot load TypeScript on Node 20, and `dist/` may be stale while
 * the tests run; this emits a fresh JavaScript copy of src/durable for them, into a folder named by
 * the hash of the sources: the first test file that asks emits it, the others (and later runs, until
 * the sources change) reuse it without loading the compiler (about 1.7 CPU-s a test file).
 * Returns the path of its index.js.
 */
export function transpiledHelperEntry(): string {
  if (built) return built;
  const sources = readdirSync(SOURCE_DIR)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => [name, readFileSync(join(SOURCE_DIR, name), 'utf8')] as const);
  // Keyed by everything the output depends on: the sources, the compiler's version, its options.
  const hash = createHash('sha256').update(`${compiler.version}\0${JSON.stringify(compilerOptions)}\0`);
  for (const [name, text] of sources) hash.update(`${name}\0${text}\0`);
  const outDir = join(EMITTED, hash.digest('hex').slice(0, 16));
  if (!existsSync(join(outDir, 'index.js'))) emit(sources, outDir);
  built = join(outDir, 'index.js');
  return built;
}

/** Emits into a folder of its own, then renames it into place: a test file running beside it sees all of it or none. */
function emit(sources: ReadonlyArray<readonly [string, string]>, outDir: string): void {
  const ts = require('typescript') as typeof import('typescript');
  const options = ts.convertCompilerOptionsFromJson(compilerOptions, '').options;
  mkdirSync(EMITTED, { recursive: true });
  const staging = mkdtempSync(join(EMITTED, 'emitting-'));
  // mkdtemp makes it 0700; the copies of it that tests make for an unprivileged user must stay readable.
  chmodSync(staging, 0o755);
  writeFileSync(join(staging, 'package.json'), '{ "type": "module" }\n');
  for (const [name, text] of sources) {
    const { outputText } = ts.transpileModule(text, { compilerOptions: options, fileName: name });
    writeFileSync(join(staging, name.replace(/\.ts$/, '.js')), outputText);
  }
  try {
    renameSync(staging, outDir);
  } catch (error) {
    // Another test file emitted the same sources first: its copy is the same.
    if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
}
