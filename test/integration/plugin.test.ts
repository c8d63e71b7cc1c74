/**
 * The built plugin as users load it: through ESLint's API with the shipped configs, and through
 * `require()` from CommonJS. Runs against `dist/` (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ESLint, Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../dist/src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const naive = `
import fs from 'node:fs';
export function save(file, data) {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
`;

describe('built plugin', () => {
  it('exposes meta, rules and configs', () => {
    expect(plugin.meta.name).toBe('eslint-plugin-durable-write');
    expect(plugin.meta.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(plugin.rules)).toEqual(['no-unsynced-rename']);
    expect(plugin.configs.recommended.plugins?.['durable-write']).toBe(plugin);
    expect(plugin.configs.recommended.rules).toEqual({ 'durable-write/no-unsynced-rename': 'warn' });
    expect(plugin.configs.strict.rules).toEqual({ 'durable-write/no-unsynced-rename': 'error' });
  });

  it('reports through ESLint with configs.recommended as a warning', async () => {
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });
    const [result] = await eslint.lintText(naive, { filePath: 'save.js' });
    expect(result?.messages.map((m) => [m.ruleId, m.severity, m.line, m.column])).toEqual([
      ['durable-write/no-unsynced-rename', 1, 6, 3],
    ]);
    expect(result?.messages[0]?.message).toBe(
      '`renameSync()` publishes `tmp`, written by `writeFileSync()` at line 5, without an fsync: after a power loss the target can be empty or truncated.',
    );
  });

  it("names the rename inside a local helper at the helper's call: the line its fix edits", () => {
    const code = [
      "import fs from 'node:fs';",
      'function publish(tmp, dest) {',
      '  fs.renameSync(tmp, dest);',
      '}',
      'export function save(file, data) {',
      "  fs.writeFileSync(file + '.tmp', data);",
      "  publish(file + '.tmp', file);",
      '}',
    ].join('\n');
    const messages = new Linter().verify(code, [plugin.configs.recommended]);
    expect(messages.map((m) => [m.line, m.message])).toEqual([
      [
        7,
        "`publish()` publishes `file + '.tmp'` (renamed by `renameSync()` at line 3), written by `writeFileSync()` at line 6, without an fsync: after a power loss the target can be empty or truncated.",
      ],
    ]);
  });

  it('says a file inside the folder a helper is given, when the helper renames a file it names inside it', () => {
    const code = [
      "import fs from 'node:fs';",
      "import path from 'node:path';",
      'function renameDotfiles(projectDir) {',
      "  fs.renameSync(path.join(projectDir, '_gitignore'), path.join(projectDir, '.gitignore'));",
      '}',
      'export function create(dir, text) {',
      "  fs.writeFileSync(path.join(dir, '_gitignore'), text);",
      '  renameDotfiles(dir);',
      '}',
    ].join('\n');
    const messages = new Linter().verify(code, [plugin.configs.recommended]);
    expect(messages.map((m) => [m.line, m.message])).toEqual([
      [
        8,
        '`renameDotfiles()` publishes a file inside `dir` (renamed by `renameSync()` at line 4), written by `writeFileSync()` at line 7, without an fsync: after a power loss the target can be empty or truncated.',
      ],
    ]);
  });

  it('says a file named from the argument, when the helper renames a path it builds from it', () => {
    const code = [
      "import fs from 'node:fs';",
      'function commit(file) {',
      "  fs.renameSync(file + '.part', file);",
      '}',
      'export function save(file, text) {',
      "  fs.writeFileSync(file + '.part', text);",
      '  commit(file);',
      '}',
    ].join('\n');
    const messages = new Linter().verify(code, [plugin.configs.recommended]);
    expect(messages.map((m) => [m.line, m.message])).toEqual([
      [
        7,
        '`commit()` publishes a file named from `file` (renamed by `renameSync()` at line 3), written by `writeFileSync()` at line 6, without an fsync: after a power loss the target can be empty or truncated.',
      ],
    ]);
  });

  it("names the rename inside a local helper at the helper's call for a directory publish too", () => {
    const code = [
      "import fs from 'node:fs';",
      "import path from 'node:path';",
      'function publish(from, to) {',
      '  fs.rmSync(to, { recursive: true, force: true });',
      '  fs.renameSync(from, to);',
      '}',
      'export function install(dir, files) {',
      "  const staging = dir + '.staging';",
      '  fs.mkdirSync(staging);',
      "  fs.writeFileSync(path.join(staging, 'index.js'), files.index);",
      '  publish(staging, dir);',
      '}',
    ].join('\n');
    const messages = new Linter().verify(code, [plugin.configs.recommended]);
    expect(messages.map((m) => [m.line, m.message])).toEqual([
      [
        11,
        '`publish()` publishes the directory `staging` (renamed by `renameSync()` at line 5), whose file written by `writeFileSync()` at line 10 was not fsynced: after a power loss the directory can be in place with files empty or truncated.',
      ],
    ]);
  });

  it('quotes a template-literal path once, on one line', () => {
    const messages = new Linter().verify(
      "import fs from 'node:fs';\nfs.writeFileSync(`${dir}/state.json.tmp`, data);\nfs.renameSync(`${dir}/state.json.tmp`,\n  dest);",
      [plugin.configs.recommended],
    );
    expect(messages.map((m) => m.message)).toEqual([
      '`renameSync()` publishes `${dir}/state.json.tmp`, written by `writeFileSync()` at line 2, without an fsync: after a power loss the target can be empty or truncated.',
    ]);
  });

  it('reports as an error with configs.strict', async () => {
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [plugin.configs.strict] });
    const [result] = await eslint.lintText(naive, { filePath: 'save.js' });
    expect(result?.errorCount).toBe(1);
  });

  it('flags every buggy example once and no correct one', async () => {
    const tsParser = (await import('@typescript-eslint/parser')).default;
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
        { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
        plugin.configs.strict,
      ],
    });
    const results = await eslint.lintFiles(['examples']);
    const count = (dir: string) =>
      results
        .filter((r) => r.filePath.includes(`/examples/${dir}/`))
        .map((r) => [r.filePath.split('/').pop(), r.messages.length]);
    expect(count('buggy').every(([, n]) => n === 1)).toBe(true);
    expect(count('buggy').length).toBeGreaterThanOrEqual(5);
    expect(count('correct').filter(([, n]) => n !== 0)).toEqual([]);
  });

  it('loads with require() and returns the plugin itself', () => {
    const script = `
      const plugin = require('eslint-plugin-durable-write');
      const { Linter } = require('eslint');
      const messages = new Linter().verify(${JSON.stringify(naive)}, [plugin.configs.recommended]);
      console.log(JSON.stringify({ name: plugin.meta.name, rules: Object.keys(plugin.rules), hits: messages.map((m) => m.ruleId) }));
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      name: 'eslint-plugin-durable-write',
      rules: ['no-unsynced-rename'],
      hits: ['durable-write/no-unsynced-rename'],
    });
  });

  it('rejects unknown and malformed options as a configuration error', () => {
    const linter = new Linter();
    const verify = (options: unknown) =>
      linter.verify('x', [
        { plugins: { 'durable-write': plugin }, rules: { 'durable-write/no-unsynced-rename': ['error', options] } },
      ]);
    expect(() => verify({ renameFunction: [] })).toThrow(
      /durable-write\/no-unsynced-rename[\s\S]*Unexpected property "renameFunction"/,
    );
    expect(() => verify({ syncFunctions: [{ source: './x.js' }] })).toThrow(/should have required property 'name'/);
    expect(() => verify({ writeFunctions: [{ source: 'x', name: 'y', pathArgument: -1 }] })).toThrow(
      /Value -1 should be >= 0/,
    );
    expect(() => verify({ importSource: '' })).toThrow(/should NOT be shorter than 1 characters/);
  });
});
