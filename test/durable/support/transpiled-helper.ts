import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const SOURCE_DIR = resolve(import.meta.dirname, '../../../src/durable');
let built: string | undefined;

/**
 * Child processes and workers cannot load TypeScript on Node 20, and `dist/` may be stale while
 * the tests run; this emits a fresh JavaScript copy of src/durable for them (once per worker).
 * Returns the path of its index.js.
 */
export function transpiledHelperEntry(): string {
  if (built) return built;
  const outDir = resolve(import.meta.dirname, '../../../.scratch/durable-js', `${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  for (const name of readdirSync(SOURCE_DIR)) {
    if (!name.endsWith('.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(join(SOURCE_DIR, name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: name,
    });
    writeFileSync(join(outDir, name.replace(/\.ts$/, '.js')), outputText);
  }
  built = join(outDir, 'index.js');
  return built;
}
