// `npm run check:eslint9`: the peer range says ESLint ^9.34.0 || ^10.0.0, and the tests run on 10.
// This installs the lowest supported ESLint 9 into .scratch/eslint-9 (never committed) and checks that
// the built plugin reports exactly the same sites on the examples there as on ESLint 10.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installAside, lowestEslint9 } from './lib/aside.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = installAside(lowestEslint9);
const lowest = lowestEslint9.version;

const script = `
  import { ESLint } from 'eslint';
  import tsParser from ${JSON.stringify(path.join(root, 'node_modules', '@typescript-eslint', 'parser', 'dist', 'index.js'))};
  import plugin from ${JSON.stringify(path.join(root, 'dist', 'src', 'index.js'))};
  const eslint = new ESLint({ cwd: ${JSON.stringify(root)}, overrideConfigFile: true, overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    plugin.configs.strict] });
  const results = await eslint.lintFiles(['examples']);
  console.log(JSON.stringify({ version: ESLint.version, sites: results.flatMap((r) => r.messages.map((m) => r.filePath + ':' + m.line + ':' + m.column + ' ' + m.ruleId)).sort() }));
`;
const lint = (cwd) =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' }));
const old = lint(dir);
const current = lint(root);
console.log(
  `ESLint ${old.version}: ${old.sites.length} findings; ESLint ${current.version}: ${current.sites.length} findings`,
);
if (old.version !== lowest || old.sites.length === 0 || JSON.stringify(old.sites) !== JSON.stringify(current.sites)) {
  console.error('ESLint 9 and ESLint 10 disagree:', { eslint9: old.sites, eslint10: current.sites });
  process.exitCode = 1;
} else {
  console.log('same sites on both');
}
