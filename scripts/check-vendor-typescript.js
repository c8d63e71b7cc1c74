// `npm run check:vendor-typescript`: the vendored helper (dist/vendor/durable-write.ts) must compile in
// projects on the oldest TypeScript we claim (5.0) as well as on the newest (the repository's own),
// under strict settings with noUnusedLocals/noUnusedParameters, for NodeNext and CommonJS projects.
// TypeScript 5.0.4 is installed aside into .scratch/typescript-5.0 (never committed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installAside, oldestTypescript } from './lib/aside.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const oldest = oldestTypescript.version;
const aside = installAside(oldestTypescript);
const compilers = {
  [oldest]: path.join(aside, 'node_modules', 'typescript', 'bin', 'tsc'),
  [JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')).version]:
    path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
};
const strict = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noUncheckedIndexedAccess: true,
  target: 'ES2022',
  lib: ['ES2022'],
  types: ['node'],
  noEmit: true,
};
const settings = {
  NodeNext: { module: 'NodeNext', moduleResolution: 'NodeNext' },
  CommonJS: { module: 'CommonJS', moduleResolution: 'node' },
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-vendor-ts-'));
fs.copyFileSync(path.join(root, 'dist', 'vendor', 'durable-write.ts'), path.join(work, 'durable-write.ts'));
fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'));
fs.writeFileSync(
  path.join(work, 'use.ts'),
  "import { writeFileDurable, writeFileDurableSync } from './durable-write.js';\nexport async function save(file: string, data: string): Promise<void> {\n  writeFileDurableSync(file, data, 'utf8');\n  await writeFileDurable(file, data);\n}\n",
);
let failures = 0;
for (const [version, tsc] of Object.entries(compilers)) {
  for (const [name, module] of Object.entries(settings)) {
    // TypeScript 6 deprecates node10 resolution, which CommonJS projects on 5.x still use.
    const deprecations = version.startsWith('6') && name === 'CommonJS' ? { ignoreDeprecations: '6.0' } : {};
    fs.writeFileSync(
      path.join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { ...strict, ...module, ...deprecations, skipLibCheck: true },
        files: ['use.ts', 'durable-write.ts'],
      }),
    );
    const result = spawnSync(process.execPath, [tsc, '-p', work], { encoding: 'utf8' });
    const ok = result.status === 0;
    failures += ok ? 0 : 1;
    console.log(`TypeScript ${version}, ${name}: ${ok ? 'ok' : `FAILED\n${result.stdout}${result.stderr}`}`);
  }
}
fs.rmSync(work, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
