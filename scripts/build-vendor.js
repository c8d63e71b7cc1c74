// Part of `npm run build`: the durable helper (src/durable/*.ts, which imports only node:*) in the
// three forms `durable-write fix --vendor <file>` copies into a project, with no bundler:
//   dist/vendor/ts/*.ts    the TypeScript sources as they are (strict-clean, NodeNext-style `.js` specifiers)
//   dist/vendor/esm/*.mjs  JavaScript ES modules
//   dist/vendor/cjs/*.cjs  JavaScript CommonJS modules
// The modules keep their own scopes: concatenating them would clash on their private names.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcDir = path.join(root, 'src', 'durable');
const outDir = path.join(root, 'dist', 'vendor');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const header = `// Vendored from eslint-plugin-durable-write ${version} by \`durable-write fix --vendor\`: edit the package, then re-vendor.\n`;

const flavours = [
  { dir: 'ts', ext: '.ts' },
  { dir: 'esm', ext: '.mjs', module: ts.ModuleKind.ESNext },
  { dir: 'cjs', ext: '.cjs', module: ts.ModuleKind.CommonJS },
];
fs.rmSync(outDir, { recursive: true, force: true });
for (const { dir, ext, module } of flavours) {
  fs.mkdirSync(path.join(outDir, dir), { recursive: true });
  for (const name of fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts'))) {
    const source = fs.readFileSync(path.join(srcDir, name), 'utf8');
    let text = source;
    if (module !== undefined) {
      const out = ts.transpileModule(source, {
        fileName: name,
        compilerOptions: { module, target: ts.ScriptTarget.ES2022, esModuleInterop: true, verbatimModuleSyntax: false },
        reportDiagnostics: true,
      });
      if (out.diagnostics?.length) throw new Error(`${name}: ${ts.flattenDiagnosticMessageText(out.diagnostics[0].messageText, '\n')}`);
      // Relative specifiers name the flavour's own files: `.mjs`/`.cjs` are ESM/CJS whatever the package type.
      text = out.outputText.replace(/(["'])(\.\/[\w-]+)\.js\1/g, `$1$2${ext}$1`).replace(/^\/\/# sourceMappingURL=.*$/m, '');
    }
    fs.writeFileSync(path.join(outDir, dir, name.replace(/\.ts$/, ext)), header + text);
  }
}
// The CLI's bin: tsc keeps the shebang but not the executable bit.
const cli = path.join(root, 'dist', 'codemods', 'cli.js');
if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
