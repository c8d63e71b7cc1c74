/**
 * `durable-write fix --write` runs the project's own linters on the files it changed and reports the
 * problems the rewrite introduced, not the ones the file had before; `--fix-lint` applies their
 * fixes to those problems only. Two projects made here, each a git repository with its linters in
 * its own node_modules: ESLint running Prettier through eslint-plugin-prettier (no semicolons, a
 * 60-column print width), and Biome (a 60-column line width).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/codemods/cli.js');
let work: string;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('the CLI tests need the build: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'durable-write-project-lint-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });

/** A git repository with `files`, and `packages` of this repository installed (linked) in its node_modules. */
function project(name: string, files: Record<string, string>, packages: readonly string[]): string {
  const dir = join(work, name);
  for (const [file, text] of Object.entries({ ...files, '.gitignore': 'node_modules\n' })) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  for (const pkg of ['durable-write-runtime', ...packages]) {
    mkdirSync(dirname(join(dir, 'node_modules', pkg)), { recursive: true });
    symlinkSync(join(root, 'node_modules', pkg), join(dir, 'node_modules', pkg));
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

const manifest = JSON.stringify({
  name: 'app',
  private: true,
  type: 'module',
  dependencies: { 'durable-write-runtime': '^0.1.0' },
});

/**
 * Formatted as the project's Prettier formats it; the rewrite names the destination where the write
 * named `tmp`, which makes the call longer than the print width. `var` is an older no-var problem the
 * fix must leave alone.
 */
const noSemicolons = `import fs from 'node:fs'

var legacy = 1

export function save(settingsPath, state) {
  const tmp = settingsPath + '.tmp'
  fs.writeFileSync(tmp, JSON.stringify(state), 'utf8')
  fs.renameSync(tmp, settingsPath)
  return legacy
}
`;

describe('ESLint with eslint-plugin-prettier, no semicolons', () => {
  const files = {
    'package.json': manifest,
    '.prettierrc': JSON.stringify({ semi: false, singleQuote: true, printWidth: 60 }),
    'eslint.config.mjs': `import prettier from 'eslint-plugin-prettier'

export default [
  {
    files: ['**/*.js'],
    plugins: { prettier },
    rules: { 'prettier/prettier': 'error', 'no-var': 'error' },
  },
]
`,
    'src/save.js': noSemicolons,
  };
  const packages = ['eslint', 'prettier', 'eslint-plugin-prettier'];

  it('the project lints clean but for its old problem before the fix', () => {
    const dir = project('eslint-before', files, packages);
    const eslint = spawnSync(process.execPath, [join(dir, 'node_modules/eslint/bin/eslint.js'), '-f', 'json', 'src'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const [result] = JSON.parse(eslint.stdout) as { messages: { ruleId: string }[] }[];
    expect(result?.messages.map((m) => m.ruleId)).toEqual(['no-var']);
  });

  it('--write reports the call the rewrite made too long for Prettier, not the older no-var', () => {
    const dir = project('eslint-report', files, packages);
    const result = run(dir, 'fix', '--write');
    expect(result.status).toBe(0);
    const text = readFileSync(join(dir, 'src/save.js'), 'utf8');
    expect(text).toContain("import { writeFileDurableSync } from 'durable-write-runtime'\n");
    expect(result.stderr).toContain('project lint (ESLint, Prettier): 2 problem(s) the rewrite introduced');
    expect(result.stderr).toContain(
      "src/save.js:6:24 eslint prettier/prettier: Replace `settingsPath,·JSON.stringify(state),·'utf8'` with",
    );
    expect(result.stderr).toContain('src/save.js:1:1 prettier format: not formatted');
    expect(result.stderr).not.toContain('no-var');
  });

  it('--fix-lint applies the fixes for those problems only: the call wrapped, var kept', () => {
    const dir = project('eslint-fix', files, packages);
    const result = run(dir, 'fix', '--write', '--fix-lint');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('project lint (ESLint, Prettier): no problem the rewrite introduced');
    expect(result.stderr).toContain('--fix-lint changed 1 file(s): src/save.js');
    expect(readFileSync(join(dir, 'src/save.js'), 'utf8'))
      .toBe(`import { writeFileDurableSync } from 'durable-write-runtime'

var legacy = 1

export function save(settingsPath, state) {
  writeFileDurableSync(
    settingsPath,
    JSON.stringify(state),
    'utf8',
  )
  return legacy
}
`);
  });

  it("--vendor: the new copy of the helper is formatted and fixed by the project's linters without --fix-lint", () => {
    const dir = project('eslint-vendor', files, packages);
    const result = run(dir, 'fix', '--write', '--vendor', 'src/durable-write.js');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("the project's linters fixed the new 1 file(s): src/durable-write.js");
    expect(result.stderr).not.toMatch(/src\/durable-write\.js:\d+:\d+/);
    const eslint = spawnSync(
      process.execPath,
      [join(dir, 'node_modules/eslint/bin/eslint.js'), '-f', 'json', 'src/durable-write.js'],
      { cwd: dir, encoding: 'utf8' },
    );
    const [lint] = JSON.parse(eslint.stdout) as { messages: { ruleId: string }[] }[];
    expect(lint?.messages).toEqual([]);
    // The user's own file keeps the rewrite's layout: its problems are reported, not fixed, without --fix-lint.
    expect(result.stderr).toContain('src/save.js:1:1 prettier format: not formatted');
  });

  it('a project on Prettier 2 (verdaccio) is checked too: its getFileInfo takes one ignore path, not a list', () => {
    const dir = project(
      'prettier-2',
      { 'package.json': manifest, '.prettierrc': files['.prettierrc'] as string, 'src/save.js': noSemicolons },
      [],
    );
    // Prettier 2 from the registry: as a devDependency here its bin would shadow Prettier 3's.
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', 'prettier@2.8.8'], {
      cwd: dir,
      stdio: 'ignore',
    });
    expect(JSON.parse(readFileSync(join(dir, 'node_modules/prettier/package.json'), 'utf8')).version).toBe('2.8.8');
    const result = run(dir, 'fix', '--write');
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('could not run');
    expect(result.stderr).toContain('project lint (Prettier): 1 problem(s) the rewrite introduced');
    expect(result.stderr).toContain('src/save.js:1:1 prettier format: not formatted');
  });

  it('a configured ESLint that the project has not installed is named, not borrowed from elsewhere', () => {
    const dir = project('eslint-missing', { ...files, '.prettierrc': '{}' }, []);
    const result = run(dir, 'fix', '--write');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('project lint: not run: ESLint is configured but not installed (npm ci first)');
  });
});

describe('Biome', () => {
  const biomeFiles = (source: string) => ({
    'package.json': manifest,
    'biome.json': JSON.stringify({ formatter: { lineWidth: 60 } }),
    'src/save.js': source,
  });
  // Formatted as Biome formats it (tabs, double quotes), and clean under its recommended rules.
  const clean = `import fs from "node:fs";

export function save(settingsPath, state) {
\tconst tmp = \`\${settingsPath}.tmp\`;
\tfs.writeFileSync(tmp, JSON.stringify(state), "utf8");
\tfs.renameSync(tmp, settingsPath);
}
`;
  const packages = ['@biomejs/biome', '@biomejs/cli-linux-x64'];
  const linkBin = (dir: string): void => {
    mkdirSync(join(dir, 'node_modules/.bin'));
    symlinkSync('../@biomejs/biome/bin/biome', join(dir, 'node_modules/.bin/biome'));
  };

  it('--write reports the call the rewrite made too long; --fix-lint has Biome fix it in a file Biome found clean', () => {
    const reported = project('biome-report', biomeFiles(clean), packages);
    linkBin(reported);
    const result = run(reported, 'fix', '--write');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('project lint (Biome): 1 problem(s) the rewrite introduced');
    expect(result.stderr).toContain('src/save.js:1:1 biome format: Formatter would have printed');

    const fixed = project('biome-fix', biomeFiles(clean), packages);
    linkBin(fixed);
    const withFix = run(fixed, 'fix', '--write', '--fix-lint');
    expect(withFix.stderr).toContain('project lint (Biome): no problem the rewrite introduced');
    expect(readFileSync(join(fixed, 'src/save.js'), 'utf8'))
      .toBe(`import { writeFileDurableSync } from "durable-write-runtime";

export function save(settingsPath, state) {
\twriteFileDurableSync(
\t\tsettingsPath,
\t\tJSON.stringify(state),
\t\t"utf8",
\t);
}
`);
    const check = spawnSync(join(fixed, 'node_modules/.bin/biome'), ['check', 'src'], { cwd: fixed });
    expect(check.status).toBe(0);
  });

  it("a file with older Biome problems keeps them: Biome's fixes are not applied to it, and it says so", () => {
    const dirty = `${clean}\nlet unchanged = 1;\nexport { unchanged };\n`;
    const dir = project('biome-dirty', biomeFiles(dirty), packages);
    linkBin(dir);
    const result = run(dir, 'fix', '--write', '--fix-lint');
    expect(result.stderr).toContain('project lint (Biome): 1 problem(s) the rewrite introduced');
    expect(result.stderr).toContain(
      "src/save.js: Biome's fixes not applied, since it had Biome problems before the fix",
    );
    expect(readFileSync(join(dir, 'src/save.js'), 'utf8')).toContain('let unchanged = 1;');
  });
});
