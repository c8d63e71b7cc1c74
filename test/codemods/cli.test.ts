/**
 * The built `durable-write` CLI end to end on temporary git repositories: `check` exit codes and
 * formats, `fix` dry run (diff, nothing written), dirty-tree refusal, `--write`, `--vendor` with
 * `--typecheck` on a strict TS project (no new diagnostics, and tsc agrees afterwards), a
 * `--typecheck` refusal, and rewritten callback / promise / sync programs that write the same files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSessions } from './support/cli-session.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/codemods/cli.js');
const helper = join(root, 'dist/src/durable/index.js');
let work: string;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('the CLI tests need the build: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'durable-write-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const session = cliSessions(cli);
/** `node dist/codemods/cli.js …args` in cwd; the runs of one test share one child process (support/cli-session.ts). */
const run = (cwd: string, ...args: string[]) => session(cwd, args);
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

function repo(name: string, from: string): string {
  const dir = join(work, name);
  cpSync(from, dir, { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  git(dir, 'init', '-q');
  git(dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
  git(dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
  return dir;
}

describe('durable-write CLI', () => {
  it('check: stylish output and exit 1 with findings, JSON on request, exit 0 when clean', () => {
    const dir = repo('check', join(root, 'test/codemods/fixtures/project'));
    const stylish = run(dir, 'check');
    expect(stylish.status).toBe(1);
    expect(stylish.stdout).toContain('src/store.ts');
    expect(stylish.stdout).toContain('durable-write/no-unsynced-rename');
    const json = run(dir, 'check', '--format', 'json', 'src');
    expect(JSON.parse(json.stdout).findings).toHaveLength(2);
    expect(run(dir, 'check', 'src/plain.ts').status).toBe(0);
  });

  it('fix: dry run prints a diff and a summary and writes nothing; --write refuses a dirty tree', () => {
    const dir = repo('dry', join(root, 'test/codemods/fixtures/project'));
    const before = readFileSync(join(dir, 'src/store.ts'), 'utf8');
    const dry = run(dir, 'fix');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('--- a/src/store.ts');
    expect(dry.stdout).toContain("+import { writeFileDurable, writeFileDurableSync } from 'durable-write-runtime';");
    expect(dry.stderr).toContain('sites found: 2');
    expect(dry.stderr).toContain('rewritten: 2 in 1 files (dry run');
    expect(readFileSync(join(dir, 'src/store.ts'), 'utf8')).toBe(before);
    writeFileSync(join(dir, 'src/plain.ts'), 'export const answer: number = 43;\n');
    const refused = run(dir, 'fix', '--write');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('uncommitted changes');
    expect(readFileSync(join(dir, 'src/store.ts'), 'utf8')).toBe(before);
  });

  it("fix: the dry run's diff (jsdiff) applies with git apply and gives what --write writes, CRLF and a missing final newline included", () => {
    const dir = repo('diff-applies', join(root, 'test/codemods/fixtures/project'));
    const store = readFileSync(join(dir, 'src/store.ts'), 'utf8');
    writeFileSync(join(dir, 'src/store-crlf.ts'), store.replace(/\n/g, '\r\n'));
    writeFileSync(join(dir, 'src/store-open.ts'), store.replace(/\n+$/, ''));
    // --write adds the runtime to a package.json; it refuses where there is none.
    writeFileSync(join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
    git(dir, 'add', '.');
    git(dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'variants');
    const dry = run(dir, 'fix');
    expect(dry.stderr).toContain('rewritten: 6 in 3 files (dry run');
    expect(dry.stdout).toContain('\\ No newline at end of file');
    writeFileSync(join(work, 'dry-run.diff'), dry.stdout);
    git(dir, 'apply', '--whitespace=nowarn', join(work, 'dry-run.diff'));
    const applied = ['src/store.ts', 'src/store-crlf.ts', 'src/store-open.ts'].map((f) =>
      readFileSync(join(dir, f), 'utf8'),
    );
    git(dir, 'checkout', '-q', '--', '.');
    expect(run(dir, 'fix', '--write').status).toBe(0);
    const written = ['src/store.ts', 'src/store-crlf.ts', 'src/store-open.ts'].map((f) =>
      readFileSync(join(dir, f), 'utf8'),
    );
    expect(applied).toEqual(written);
    expect(written[1]).toContain('\r\n');
  });

  it('fix --write adds the runtime package to the nearest package.json dependencies and says so', () => {
    const dir = repo('dependency', join(root, 'test/codemods/fixtures/project'));
    const manifest =
      '{\n    "name": "app",\n    "private": true,\n    "engines": {\n        "node": ">=16"\n    },\n    "devDependencies": {\n        "eslint-plugin-durable-write": "^0.1.0"\n    }\n}\n';
    writeFileSync(join(dir, 'package.json'), manifest);
    git(dir, 'add', 'package.json');
    git(dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'manifest');
    const dry = run(dir, 'fix');
    expect(dry.stderr).toMatch(/dependency to add: durable-write-runtime@\^\d+\.\d+\.\d+ in package\.json/);
    // The runtime's own engines.node, whatever it is, is above the project's.
    const runtimeNode = (
      JSON.parse(readFileSync(join(root, 'packages/durable-write-runtime/package.json'), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node;
    expect(dry.stderr).toContain(
      `Node.js floor raised: durable-write-runtime requires Node.js ${runtimeNode} (the project declares engines.node ">=16")`,
    );
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(manifest);
    const result = run(dir, 'fix', '--write');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/dependency added: durable-write-runtime@\^\d+\.\d+\.\d+ in package\.json/);
    const written = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(JSON.parse(written).dependencies).toEqual({ 'durable-write-runtime': expect.stringMatching(/^\^/) });
    expect(written).toMatch(/^ {4}"name"/m);
    expect(run(dir, 'fix').stderr).not.toContain('dependency');
  });

  it('fix --write with no package.json above the files refuses (exit 2), names --vendor and the install command, writes nothing', () => {
    const dir = repo('no-manifest', join(root, 'test/codemods/fixtures/project'));
    const before = readFileSync(join(dir, 'src/store.ts'), 'utf8');
    expect(run(dir, 'fix').stderr).toContain('warning: no package.json above src/store.ts');
    const result = run(dir, 'fix', '--write');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no package.json above src/store.ts');
    expect(result.stderr).toContain('--vendor <file>');
    expect(result.stderr).toContain('npm install durable-write-runtime');
    expect(readFileSync(join(dir, 'src/store.ts'), 'utf8')).toBe(before);
    expect(run(dir, 'fix', '--write', '--vendor', 'src/durable-write.ts').status).toBe(0);
  });

  it('fix --write --vendor --typecheck: no new diagnostics, the project type-checks, check is clean', () => {
    const dir = repo('vendor', join(root, 'test/codemods/fixtures/project'));
    const result = run(dir, 'fix', '--write', '--vendor', 'src/durable-write.ts', '--typecheck');
    expect(result.stderr).toContain('--typecheck: no new diagnostics');
    // The project's own compiler (here the one its node_modules holds), not ts-morph's bundled one.
    expect(result.stderr).toMatch(/--typecheck with the project's TypeScript \d+\.\d+\.\d+/);
    expect(result.status).toBe(0);
    const store = readFileSync(join(dir, 'src/store.ts'), 'utf8');
    expect(store).toContain("from './durable-write.js';");
    expect(store).not.toContain('rename');
    // One self-contained file, a few hundred lines, and nothing else. (827 since it passes
    // typescript-eslint's strictTypeChecked: each fs call is a typed sync/callback pair.)
    expect(readdirSync(join(dir, 'src')).sort()).toEqual(['durable-write.ts', 'plain.ts', 'store.ts']);
    expect(readFileSync(join(dir, 'src/durable-write.ts'), 'utf8').split('\n').length).toBeLessThan(850);
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      encoding: 'utf8',
    });
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
    expect(run(dir, 'check', 'src/store.ts').status).toBe(0);
  });

  it("fix --typecheck on TypeScript 7 (no JS compiler API): the project's own tsc --noEmit before and after", () => {
    const dir = repo('typescript-7', join(root, 'test/codemods/fixtures/project'));
    // The project's node_modules: this repository's, with typescript@7 (devDependency typescript-7) as its typescript.
    rmSync(join(dir, 'node_modules'));
    mkdirSync(join(dir, 'node_modules'));
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (name !== 'typescript' && name !== '.bin')
        symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
    }
    symlinkSync(join(root, 'node_modules/typescript-7'), join(dir, 'node_modules/typescript'));
    const clean = run(dir, 'fix', '--write', '--vendor', 'src/durable-write.ts', '--typecheck');
    expect(clean.stderr).toContain("--typecheck with the project's TypeScript 7.");
    expect(clean.stderr).toContain('its tsc --noEmit');
    expect(clean.stderr).toContain('--typecheck: no new diagnostics');
    expect(clean.status).toBe(0);
    expect(readFileSync(join(dir, 'src/store.ts'), 'utf8')).toContain("from './durable-write.js';");
    // A rewrite that adds a diagnostic (its import does not resolve) is refused, and nothing is written.
    git(dir, 'checkout', '-q', '--', '.');
    git(dir, 'clean', '-qfd', 'src');
    const before = readFileSync(join(dir, 'src/store.ts'), 'utf8');
    const refused = run(dir, 'fix', '--write', '--import-source', 'durable-write-missing', '--typecheck');
    expect(refused.stderr).toMatch(
      /--typecheck: the rewrite adds \d+ diagnostic\(s\); nothing written:\n {2}src\/store\.ts: TS2307 Cannot find module 'durable-write-missing'/,
    );
    expect(refused.status).toBe(1);
    expect(readFileSync(join(dir, 'src/store.ts'), 'utf8')).toBe(before);
  });

  it('fix --write --vendor <file>.cjs and .mjs: the JavaScript copies load and write durably', () => {
    for (const ext of ['cjs', 'mjs']) {
      const dir = repo(`vendor-${ext}`, join(root, 'test/codemods/fixtures/programs'));
      const result = run(dir, 'fix', '--write', '--vendor', `lib/durable-write.${ext}`);
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(`vendored helper: lib/durable-write.${ext} (one file, no dependency added)`);
      // The vendored copy has none of the runtime's layers: what they change is not listed for it.
      // Where the target is, is the core's, the same in every copy.
      expect(result.stderr).toContain('the temp file gets a unique name next to the destination');
      expect(result.stderr).toContain('a symlink at the destination is followed');
      expect(result.stderr).not.toContain('keeps the mode');
      expect(result.stderr).toContain("errors are fs's own");
      expect(result.stderr).not.toContain('DurableWriteError');
      const out = mkdtempSync(join(work, 'vendored-'));
      execFileSync(process.execPath, [join(dir, 'sync.cjs'), out]);
      expect(readdirSync(out).length).toBeGreaterThan(0);
    }
  });

  it('fix --vendor <file>.ts leaves JavaScript files for review: they cannot import TypeScript', () => {
    const dir = repo('vendor-mixed', join(root, 'test/codemods/fixtures/programs'));
    const result = run(dir, 'fix', '--vendor', 'lib/durable-write.ts');
    expect(result.stderr).toContain('is TypeScript, which this JavaScript file cannot import');
    expect(result.stderr).toContain('rewritten: 0');
  });

  it("fix --write --format-code runs the project's Prettier on the changed files, and lists what behaves differently", () => {
    const dir = repo('prettier', join(root, 'test/codemods/fixtures/programs'));
    // A stand-in for the project's installed Prettier: records what it is asked to format.
    rmSync(join(dir, 'node_modules'));
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(
      join(root, 'node_modules', 'durable-write-runtime'),
      join(dir, 'node_modules', 'durable-write-runtime'),
    );
    writeFileSync(
      join(dir, 'node_modules', '.bin', 'prettier'),
      `#!/bin/sh\necho "$@" > "${join(dir, 'formatted.txt')}"\n`,
      { mode: 0o755 },
    );
    writeFileSync(join(dir, '.prettierrc'), '{}\n');
    git(dir, 'add', '.prettierrc');
    git(dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'prettier');
    const result = run(dir, 'fix', '--write', '--format-code', '--import-source', helper);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("formatted with the project's prettier: 3 files");
    expect(readFileSync(join(dir, 'formatted.txt'), 'utf8').trim().split(' ').sort()).toEqual([
      '--write',
      'callback.cjs',
      'promise.mjs',
      'sync.cjs',
    ]);
    expect(result.stderr).toContain('behaviour that differs after the rewrite:');
    expect(result.stderr).toContain('a symlink at the destination is followed');
  });

  it('fix --typecheck refuses to write a change that adds diagnostics (exit 1), and --verify-command does not run after it', () => {
    const dir = repo('refuse', join(root, 'test/codemods/fixtures/project'));
    const before = readFileSync(join(dir, 'src/store.ts'), 'utf8');
    const result = run(
      dir,
      'fix',
      '--write',
      '--typecheck',
      '--import-source',
      'no-such-helper-module',
      '--verify-command',
      'touch verify-command-ran',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/adds \d+ diagnostic\(s\); nothing written/);
    expect(readFileSync(join(dir, 'src/store.ts'), 'utf8')).toBe(before);
    // A refused plan stops the checks after it; the report says which ran.
    expect(result.stderr).toContain(
      'checks: re-lint passed, --typecheck refused, --verify-command not run, project lint not run',
    );
    expect(result.stderr).toContain('--verify-command: not run (--typecheck refused the rewrite)');
    expect(existsSync(join(dir, 'verify-command-ran'))).toBe(false);
  });

  it('rewritten callback, promise and sync programs write the same files as before', () => {
    const dir = repo('programs', join(root, 'test/codemods/fixtures/programs'));
    const outputs = (): Record<string, Record<string, string>> => {
      const all: Record<string, Record<string, string>> = {};
      for (const program of ['callback.cjs', 'promise.mjs', 'sync.cjs']) {
        const out = mkdtempSync(join(work, 'out-'));
        execFileSync(process.execPath, [join(dir, program), out]);
        all[program] = Object.fromEntries(
          readdirSync(out)
            .sort()
            .map((f) => [f, readFileSync(join(out, f), 'latin1')]),
        );
      }
      return all;
    };
    const before = outputs();
    const result = run(dir, 'fix', '--write', '--import-source', helper);
    expect(result.stderr).toContain('rewritten: 3 in 3 files');
    expect(result.status).toBe(0);
    for (const program of ['callback.cjs', 'promise.mjs', 'sync.cjs'])
      expect(readFileSync(join(dir, program), 'utf8')).toContain(helper);
    expect(outputs()).toEqual(before);
    expect(before['callback.cjs']?.['result.txt']).toBe('ENOENT');
  });

  it('check and fix see a rename helper of another module, as the rule does', () => {
    const dir = repo('cross-module', join(root, 'test/rules/fixtures/cross-module/ts'));
    writeFileSync(
      join(dir, 'src/app.ts'),
      [
        "import { writeFileSync } from 'node:fs';",
        "import { replaceFile } from './rename.js';",
        'export function save(dest: string, data: string): void {',
        "  writeFileSync(dest + '.tmp', data);",
        "  replaceFile(dest + '.tmp', dest);",
        '}',
        '',
      ].join('\n'),
    );
    const json = run(dir, 'check', '--format', 'json', 'src/app.ts');
    expect(json.status).toBe(1);
    const findings = (JSON.parse(json.stdout) as { findings: Array<{ line: number; ruleId: string }> }).findings;
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([['durable-write/no-unsynced-rename', 5]]);
    const dry = run(dir, 'fix', 'src/app.ts');
    expect(dry.stderr).toContain('sites found: 1');
  });

  it('fix: the summary says how in-place fixes make the temp file durable, and why', () => {
    const adapter = `function Adapter() {
  this.fs = require('fs');
}
Adapter.prototype.save = function (file, data) {
  this.fs.writeFileSync(file + '.tmp', data);
  this.fs.renameSync(file + '.tmp', file);
};
module.exports = { Adapter };
`;
    const summaryOf = (name: string, manifest: Record<string, unknown>): { diff: string; summary: string } => {
      const src = join(work, `${name}-src`);
      mkdirSync(src);
      writeFileSync(join(src, 'package.json'), JSON.stringify({ name, ...manifest }));
      writeFileSync(join(src, 'adapter.js'), adapter);
      const dry = run(repo(name, src), 'fix');
      expect(dry.status).toBe(0);
      return { diff: dry.stdout, summary: dry.stderr };
    };
    const published = summaryOf('published', {});
    expect(published.diff).toContain('+      this.fs.fsyncSync(fd);');
    expect(published.summary).toContain(
      'in-place fixes under package.json: the temp file fsynced explicitly before the rename (a published package that declares no engines.node: its users may run Node.js < 20.10, which ignores flush: true)',
    );
    const app = summaryOf('app', { private: true });
    expect(app.diff).toContain("+  this.fs.writeFileSync(file + '.tmp', data, { flush: true });");
    expect(app.summary).toContain(
      'in-place fixes under package.json: flush: true on the write (a private package that declares no engines.node: flush: true assumes Node.js >= 20.10 (declare engines.node to change it))',
    );
  });
});
