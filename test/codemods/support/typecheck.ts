/**
 * tsc on a fixed file under the strict settings of the TypeScript projects the fixes land in (steno
 * and lowdb compile with noUnusedLocals and noUnusedParameters): a fix must not leave an unused
 * import or variable behind, nor a value of the wrong type.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './packages.js';

const compilerOptions = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  types: ['node'],
  skipLibCheck: true,
  noEmit: true,
};

/**
 * tsc's diagnostics for `files` of the project in `dir` (which gets a tsconfig.json, and this
 * repository's node_modules when it has none), or '' when they compile.
 */
export function strictTypecheck(dir: string, files: readonly string[]): string {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
  if (!existsSync(join(dir, 'node_modules')))
    symlinkSync(join(repositoryRoot, 'node_modules'), join(dir, 'node_modules'));
  const tsc = spawnSync(process.execPath, [join(repositoryRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], {
    encoding: 'utf8',
  });
  return tsc.stdout + tsc.stderr;
}
