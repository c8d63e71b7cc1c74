// `npm run check:vendor-lint`: the vendored helper lands in other people's repositories, so it must
// pass the strictest common lint setups there without a disable comment:
// - the TypeScript copy: typescript-eslint's `strictTypeChecked` preset, under two tsconfigs (strict
//   alone, and with noUncheckedIndexedAccess / exactOptionalPropertyTypes, which change what an
//   index access or a non-null assertion means to the type-aware rules);
// - the JavaScript copies: ESLint's recommended rules and typescript-eslint's `strict` preset (without
//   no-require-imports for the CommonJS copy);
// - all three: Biome's recommended lint rules and default assists (`biome check` with an empty
//   configuration, formatter off).
// Each runs in a temp project that links the repository's node_modules.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Another folder of copies (an older build, say) can be given as the argument.
const vendor = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'vendor'));
const copies = ['durable-write.ts', 'durable-write.mjs', 'durable-write.cjs'];
const base = {
  strict: true,
  target: 'ES2022',
  lib: ['ES2022'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  types: ['node'],
  noEmit: true,
  skipLibCheck: true,
};
const tsconfigs = {
  strict: base,
  'strictest-index': { ...base, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true },
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-vendor-lint-'));
fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'));
fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
fs.writeFileSync(path.join(work, 'biome.json'), '{}\n');
for (const [name, compilerOptions] of Object.entries(tsconfigs)) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  for (const copy of copies) fs.copyFileSync(path.join(vendor, copy), path.join(dir, copy));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['durable-write.ts'] }));
}
fs.writeFileSync(
  path.join(work, 'eslint.config.js'),
  `import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended, tseslint.configs.strict],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    // A CommonJS file imports with require(); the rule is for TypeScript and ES modules.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
`,
);

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const checks = [
  ['typescript-eslint strictTypeChecked / strict', bin('eslint'), ['--max-warnings=0', '.']],
  // `check`, not `lint`: projects run `biome check`, whose default assists (organizeImports) fail a
  // file as lint rules do. The formatter is off: the project's own formatter owns the layout.
  [
    'Biome recommended and default assists',
    bin('biome'),
    ['check', '--formatter-enabled=false', '--error-on-warnings', '--max-diagnostics=50', ...Object.keys(tsconfigs)],
  ],
];
let failures = 0;
for (const [name, command, args] of checks) {
  const result = spawnSync(command, args, { cwd: work, encoding: 'utf8' });
  const ok = result.status === 0;
  failures += ok ? 0 : 1;
  console.log(`${name}: ${ok ? 'ok' : `FAILED\n${result.stdout}${result.stderr}`}`);
}
fs.rmSync(work, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
