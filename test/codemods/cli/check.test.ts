/**
 * `durable-write check` as a CI gate, end to end through the built CLI on temporary git
 * repositories: exit codes, directive noise, parse errors, an incompatible project parser,
 * --rule-options, missing paths, formats (SARIF validated against the SARIF 2.1.0 schema),
 * --changed, --files-from, --shard and --concurrency.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSessions } from '../support/cli-session.js';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/codemods/cli.js');
let work: string;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('the CLI tests need the build: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'durable-write-check-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `node dist/codemods/cli.js …args` in cwd; the runs of one test share one child process (cli-session.ts). */
const run = cliSessions(cli);
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });

/** A committed git repository holding `files`; node_modules links to this package's own unless given. */
function repo(name: string, files: Record<string, string>, nodeModules: 'ours' | 'none' = 'ours'): string {
  const dir = join(work, name);
  for (const [file, text] of Object.entries({ '.gitignore': 'node_modules\n', ...files })) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  if (nodeModules === 'ours') symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

const unsynced = (name: string) => `import fs from 'node:fs';
export function ${name}(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
`;
const durable = `import fs from 'node:fs';
export function save(file, data) {
  fs.writeFileSync(file + '.tmp', data, { flush: true });
  fs.renameSync(file + '.tmp', file);
}
`;

interface JsonReport {
  files: number;
  findings: Array<{ file: string; line: number; column: number; level: string; message: string; ruleId: string }>;
  skipped: Array<{ file: string; reason: string }>;
  warnings: string[];
}
const json = (stdout: string): JsonReport => JSON.parse(stdout) as JsonReport;
const findingFiles = (stdout: string): string[] => [...new Set(json(stdout).findings.map((f) => f.file))].sort();

describe('durable-write check: fails for our findings only', () => {
  it('ignores ESLint directive problems: eslint-env and comments naming rules it does not load', () => {
    const noise = `/* eslint-env node, mocha */
/* eslint react/no-danger: "error", no-console: off */
// eslint-disable-next-line import/no-unresolved
${durable}// eslint-disable-line n/no-sync
`;
    const dir = repo('noise', {
      'src/save.js': noise,
      'src/types.ts': `/* eslint-env browser */\n// eslint-disable-next-line @foo/bar\n${durable.replace('(file, data)', '(file: string, data: string)')}`,
    });
    const result = run(dir, ['check']);
    expect(result.stderr).toContain('checked 2 files (2 may have a finding and were parsed): 0 finding(s)');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
    // The same noise around a real finding: exactly that finding, exit 1.
    writeFileSync(join(dir, 'src/save.js'), noise.replace(', { flush: true }', ''));
    const found = run(dir, ['check', '--format', 'json']);
    expect(json(found.stdout).findings.map((f) => [f.file, f.line, f.ruleId])).toEqual([
      ['src/save.js', 7, 'durable-write/no-unsynced-rename'],
    ]);
    expect(found.status).toBe(1);
  });

  it('a disable comment for our own rule still silences it', () => {
    const dir = repo('disabled', {
      'a.js': unsynced('a').replace(
        '  fs.renameSync',
        '  // eslint-disable-next-line durable-write/no-unsynced-rename\n  fs.renameSync',
      ),
    });
    expect(run(dir, ['check']).status).toBe(0);
  });

  it('lists a file it cannot parse as skipped: exit 0, or 1 with --strict', () => {
    const dir = repo('broken', { 'ok.js': durable, 'broken.js': "import fs from 'node:fs';\nfs.renameSync(a, b\n" });
    const result = run(dir, ['check']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/skipped: 1\n.*broken\.js: cannot parse: /);
    expect(json(run(dir, ['check', '--format', 'json']).stdout).skipped.map((s) => s.file)).toEqual(['broken.js']);
    expect(run(dir, ['check', '--strict']).status).toBe(1);
  });

  it('--strict fails on a skipped file in the machine formats too, and only then', () => {
    const dir = repo('strict', {
      'src/ok.js': unsynced('ok').replace('data);', 'data, { flush: true });'),
      'src/broken.ts': "import { renameSync } from 'node:fs';\nexport const = renameSync(a, b);\n",
    });
    expect(run(dir, ['check', '--format', 'json']).status).toBe(0);
    expect(run(dir, ['check', '--strict', '--format', 'json']).status).toBe(1);
    expect(run(dir, ['check', '--strict', '--format', 'sarif']).status).toBe(1);
    expect(run(dir, ['check', '--strict', 'src/ok.js']).status).toBe(0);
  });

  it('--rule-options wrappers wake the file gate: a file writing and renaming only through them is parsed and reported', () => {
    const dir = repo('wrappers', {
      'src/save.js': `import { put, commit } from './store.js';

export function save(file, data) {
  put(file + '.tmp', data);
  commit(file + '.tmp', file);
}
`,
      'src/store.js': "export { put, commit } from 'some-kv-store';\n",
    });
    const options = JSON.stringify({
      writeFunctions: [{ source: './store.js', name: 'put' }],
      renameFunctions: [{ source: './store.js', name: 'commit' }],
    });
    const found = run(dir, ['check', '--format', 'json', '--rule-options', options]);
    expect(json(found.stdout).findings.map((f) => [f.file, f.line, f.column])).toEqual([['src/save.js', 5, 3]]);
    expect(found.status).toBe(1);
    // Without the options nothing in the file names a write or a rename the rule knows.
    expect(run(dir, ['check']).status).toBe(0);
  });

  it('parses a .js file that is not a valid module as a CommonJS script', () => {
    const script =
      "const fs = require('fs');\nif (!module.parent) return;\nfs.writeFileSync(tmp, data);\nfs.renameSync(tmp, dest);\n";
    const dir = repo('script', { 'bin/tool.js': script });
    const result = run(dir, ['check', '--format', 'json']);
    expect(json(result.stdout)).toMatchObject({ skipped: [], findings: [{ file: 'bin/tool.js', line: 4 }] });
    expect(result.status).toBe(1);
  });

  it('falls back to its own TS parser, with a warning, when the project pins @typescript-eslint/parser 6', () => {
    const dir = repo(
      'parser-v6',
      { 'src/store.ts': readFileSync(join(root, 'test/codemods/fixtures/project/src/store.ts'), 'utf8') },
      'none',
    );
    mkdirSync(join(dir, 'node_modules/@typescript-eslint'), { recursive: true });
    symlinkSync(join(root, 'node_modules/parser-v6'), join(dir, 'node_modules/@typescript-eslint/parser'));
    expect(require(join(dir, 'node_modules/@typescript-eslint/parser/package.json')).version).toMatch(/^6\./);
    const result = run(dir, ['check', '--format', 'json']);
    expect(result.stderr).toMatch(
      /warning: the project's @typescript-eslint\/parser 6\.\d+\.\d+ does not work with ESLint 10\.\d+\.\d+ \(scopeManager\.addGlobals is not a function\); using durable-write's @typescript-eslint\/parser 8\.\d+\.\d+ instead/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(json(result.stdout).findings.map((f) => f.line)).toEqual([5, 10]);
    expect(json(result.stdout).warnings).toHaveLength(1);
    expect(result.status).toBe(1);
    const fixed = run(dir, ['fix', '--format', 'json']);
    expect(fixed.stderr).toContain("warning: the project's @typescript-eslint/parser 6.");
    expect(json(fixed.stdout).findings.map((f) => [f.line, f.level])).toEqual([
      [5, 'note'],
      [10, 'note'],
    ]);
    expect(fixed.status).toBe(0);
  });
});

describe('durable-write check and fix: usage errors exit 2 with a message', () => {
  let dir: string;
  beforeAll(() => {
    dir = repo('usage', { 'src/a.js': unsynced('a'), 'docs/readme.md': '# docs\n' });
  });

  it.each(['check', 'fix'])('%s: malformed or schema-invalid --rule-options', (command) => {
    const malformed = run(dir, [command, '--rule-options', '{renameFunctions:']);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toMatch(/^durable-write: --rule-options is not JSON: /);
    const invalid = run(dir, [command, '--rule-options', '{"renameFunctions":[{"name":"move"}]}']);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain("--rule-options does not match the rule's options schema");
    expect(invalid.stderr).toContain("required property 'source'");
    expect(`${malformed.stderr}${invalid.stderr}`).not.toMatch(/\n\s+at /);
  });

  it.each(['check', 'fix'])(
    '%s: a path that does not exist, a directory without JS/TS files, an unknown format',
    (command) => {
      const missing = run(dir, [command, 'src', 'no-such-dir']);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toBe('durable-write: no-such-dir: no such file or directory\n');
      const empty = run(dir, [command, 'docs']);
      expect(empty.status).toBe(2);
      expect(empty.stderr).toContain('docs: no JS/TS files to check there');
      const junit = run(dir, [command, '--format', 'junit']);
      expect(junit.status).toBe(2);
      expect(junit.stderr).toBe('durable-write: unknown --format "junit"; the formats are stylish, json, sarif\n');
    },
  );

  it('--help and --version exit 0; an unknown command or option exits 2', () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    expect(run(dir, ['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
    expect(run(dir, ['--help'])).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('Exit codes: 0 clean, 1 findings, 2 usage'),
    });
    expect(run(dir, ['check', '--help'])).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('--concurrency'),
    });
    expect(run(dir, ['lint']).status).toBe(2);
    expect(run(dir, ['check', '--fix']).status).toBe(2);
  });

  it('honours --rule-options: a project rename function is reported only when named', () => {
    const wrapped = repo('wrapped', {
      // A wrapper the engine cannot see into (a native binding it cannot read); a re-export of
      // node:fs's renameSync under another name would be found without any option.
      'src/fs-utils.js': 'export { move } from "native-fs-binding";\n',
      'src/save.js':
        "import fs from 'node:fs';\nimport { move } from './fs-utils.js';\nexport function save(f, d) {\n  fs.writeFileSync(f + '.tmp', d);\n  move(f + '.tmp', f);\n}\n",
    });
    expect(run(wrapped, ['check', 'src/save.js']).status).toBe(0);
    const options = JSON.stringify({ renameFunctions: [{ source: './fs-utils.js', name: 'move' }] });
    const result = run(wrapped, ['check', 'src/save.js', '--format', 'json', '--rule-options', options]);
    expect(json(result.stdout).findings.map((f) => [f.file, f.line])).toEqual([['src/save.js', 5]]);
    expect(result.status).toBe(1);
  });
});

describe('durable-write check: output formats', () => {
  it('stylish names the real next steps; progress stays off a non-TTY stderr', () => {
    const dir = repo('stylish', { 'a.js': unsynced('a') });
    const result = run(dir, ['check']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^a\.js\n {2}4:3 {2}error {2}`renameSync\(\)` publishes/);
    expect(result.stdout).toContain('`npx durable-write fix`');
    expect(result.stdout).toContain('`eslint --fix`');
    expect(result.stdout).not.toContain('--fix option');
    expect(result.stderr).not.toContain('\r');
  });

  it('shows progress on a terminal, never in a log', () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`src/f${i}.js`, unsynced(`f${i}`)]));
    const dir = repo('progress', many);
    expect(run(dir, ['check']).stderr).not.toContain('files linted');
    // script(1) (util-linux, Debian essential) runs the CLI on a pseudo-terminal.
    const tty = spawnSync(
      'script',
      ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} check`, '/dev/null'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(tty.stdout).toContain('\rdurable-write: 25/60 files linted');
    expect(tty.stdout).toContain('✖ 60 unsynced renames');
    expect(tty.status).toBe(1);
  });

  it('SARIF validates against the SARIF 2.1.0 schema, with paths relative to the repository root', () => {
    // Both are CommonJS with a `default` export; NodeNext types their ESM default as the whole module.
    const Ajv = (require('ajv-draft-04') as { default: typeof import('ajv-draft-04').default }).default;
    const addFormats = (require('ajv-formats') as { default: typeof import('ajv-formats').default }).default;
    // The OASIS SARIF 2.1.0 (rtm.5) schema as shipped in @microsoft/jest-sarif (a devDependency).
    const schema = JSON.parse(
      readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    ) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const dir = repo('sarif', { 'pkg/src/a.js': unsynced('a'), 'pkg/src/broken.js': 'fs.renameSync(a,\n' });
    for (const command of ['check', 'fix']) {
      const result = run(join(dir, 'pkg'), [command, '--format', 'sarif']);
      const log = JSON.parse(result.stdout) as {
        runs: Array<{
          results: Array<{
            ruleId: string;
            level: string;
            locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
          }>;
        }>;
      };
      expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
      const [first] = log.runs[0]?.results ?? [];
      expect(first).toMatchObject({
        ruleId: 'durable-write/no-unsynced-rename',
        level: command === 'check' ? 'error' : 'note',
      });
      expect(first?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('pkg/src/a.js');
      expect(log.runs[0]?.results).toHaveLength(1);
    }
    expect(
      validate({
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'fatal', message: { text: 'x' } }] }],
      }),
    ).toBe(false);
  });
});

describe('durable-write check: SARIF locations', () => {
  it('point where the json format points, relative to the repository root when run from a subdirectory', () => {
    const dir = repo('sarif-locations', {
      'app/lib/first.js': unsynced('first'),
      'app/lib/second.js': `// header\n\n${unsynced('second')}`,
    });
    const cwd = join(dir, 'app');
    const positions = json(run(cwd, ['check', '--format', 'json']).stdout).findings.map((f) => [
      `app/${f.file}`,
      f.line,
      f.column,
    ]);
    const sarif = JSON.parse(run(cwd, ['check', '--format', 'sarif']).stdout) as {
      runs: Array<{
        results: Array<{
          locations: Array<{
            physicalLocation: {
              artifactLocation: { uri: string; uriBaseId: string };
              region: { startLine: number; startColumn: number };
            };
          }>;
        }>;
      }>;
    };
    const located = sarif.runs[0]!.results.map(({ locations: [where] }) => [
      where!.physicalLocation.artifactLocation.uri,
      where!.physicalLocation.region.startLine,
      where!.physicalLocation.region.startColumn,
    ]);
    expect(positions).toEqual([
      ['app/lib/first.js', 4, 3],
      ['app/lib/second.js', 6, 3],
    ]);
    expect(located).toEqual(positions);
  });
});

describe('durable-write check at scale', () => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'];
  const files = Object.fromEntries(names.map((n, i) => [`${i % 2 ? 'lib' : 'src'}/${n}.js`, unsynced(n)]));

  it('--changed [REV] sees exactly the files changed since REV, plus untracked ones', () => {
    const dir = repo('changed', files);
    writeFileSync(join(dir, 'src/c.js'), `${unsynced('c')}// edited\n`);
    git(dir, 'commit', '-qam', 'edit c');
    writeFileSync(join(dir, 'lib/b.js'), `${unsynced('b')}// edited, not staged\n`);
    writeFileSync(join(dir, 'src/e.js'), `${unsynced('e')}// edited, staged\n`);
    git(dir, 'add', 'src/e.js');
    writeFileSync(join(dir, 'src/new.js'), unsynced('fresh'));
    writeFileSync(join(dir, 'notes.md'), 'not a source file\n');
    unlinkSync(join(dir, 'src/g.js'));
    expect(findingFiles(run(dir, ['check', '--changed', '--format', 'json']).stdout)).toEqual([
      'lib/b.js',
      'src/e.js',
      'src/new.js',
    ]);
    expect(findingFiles(run(dir, ['check', '--changed', 'HEAD~1', '--format', 'json']).stdout)).toEqual([
      'lib/b.js',
      'src/c.js',
      'src/e.js',
      'src/new.js',
    ]);
    expect(findingFiles(run(dir, ['check', '--format', 'json', '--changed=HEAD~1', 'src']).stdout)).toEqual([
      'src/c.js',
      'src/e.js',
      'src/new.js',
    ]);
    // A directory after a bare --changed is a path, not a revision.
    expect(findingFiles(run(dir, ['check', '--format', 'json', '--changed', 'src']).stdout)).toEqual([
      'src/e.js',
      'src/new.js',
    ]);
    git(dir, 'stash', '-u', '-q');
    const clean = run(dir, ['check', '--changed']);
    expect(clean.status).toBe(0);
    expect(clean.stderr).toContain('checked 0 files');
    expect(run(dir, ['check', '--changed', 'no-such-rev', '.']).status).toBe(2);
  });

  it('takes the files to check from stdin (--files-from -) or as arguments, for pre-commit hooks', () => {
    const dir = repo('listed', files);
    const listed = run(
      dir,
      ['check', '--files-from', '-', '--format', 'json'],
      'src/a.js\nlib/b.js\nREADME.md\nsrc/deleted.js\n',
    );
    expect(findingFiles(listed.stdout)).toEqual(['lib/b.js', 'src/a.js']);
    expect(findingFiles(run(dir, ['check', '--format', 'json', 'src/c.js', 'lib/d.js']).stdout)).toEqual([
      'lib/d.js',
      'src/c.js',
    ]);
  });

  it('--shard i/n: the n shards are disjoint and cover every file once', () => {
    const dir = repo('shards', files);
    const all = findingFiles(run(dir, ['check', '--format', 'json']).stdout);
    expect(all).toHaveLength(names.length);
    for (const n of [1, 3, 4]) {
      const shards = Array.from({ length: n }, (_, i) =>
        findingFiles(run(dir, ['check', '--format', 'json', '--shard', `${i + 1}/${n}`]).stdout),
      );
      expect(shards.flat().sort()).toEqual(all);
      if (n > 1)
        expect(Math.max(...shards.map((s) => s.length)) - Math.min(...shards.map((s) => s.length))).toBeLessThanOrEqual(
          1,
        );
    }
    expect(run(dir, ['check', '--shard', '0/3']).status).toBe(2);
    expect(run(dir, ['check', '--shard', '4/3']).status).toBe(2);
  });

  it('--concurrency gives the same findings as a serial run', () => {
    const dir = repo('concurrency', {
      ...files,
      'src/types.ts': readFileSync(join(root, 'test/codemods/fixtures/project/src/store.ts'), 'utf8'),
    });
    const serial = run(dir, ['check', '--format', 'json']);
    const threaded = run(dir, ['check', '--format', 'json', '--concurrency', '2']);
    expect(threaded.status).toBe(1);
    expect(json(threaded.stdout).findings).toEqual(json(serial.stdout).findings);
    expect(json(serial.stdout).findings).toHaveLength(names.length + 2);
    expect(run(dir, ['check', '--concurrency', 'many']).status).toBe(2);
  });
});
