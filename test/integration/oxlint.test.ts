/**
 * The rule runs under oxlint's ESLint-compatible JS plugins too (code-path events included): on the
 * bundled examples, oxlint reports exactly the sites ESLint reports. Runs the built plugin.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../dist/src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const oxlint = path.join(root, 'node_modules', '.bin', 'oxlint');

describe('oxlint JS plugin', () => {
  // A folder outside this repository: oxlint honours the repository's .gitignore.
  const work = mkdtempSync(path.join(tmpdir(), 'durable-write-oxlint-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reports the same sites as ESLint on the examples', async () => {
    cpSync(path.join(root, 'examples'), path.join(work, 'examples'), { recursive: true });
    writeFileSync(
      path.join(work, '.oxlintrc.json'),
      JSON.stringify({
        plugins: [],
        jsPlugins: [path.join(root, 'dist', 'src', 'index.js')],
        rules: { 'durable-write/no-unsynced-rename': 'error' },
      }),
    );
    let output: string;
    try {
      output = execFileSync(oxlint, ['-c', '.oxlintrc.json', '-f', 'json', 'examples'], {
        cwd: work,
        encoding: 'utf8',
      });
    } catch (error) {
      // oxlint exits 1 when it reports errors; the JSON is on stdout either way.
      output = (error as { stdout: string }).stdout;
    }
    const { diagnostics } = JSON.parse(output) as {
      diagnostics: Array<{ code: string; filename: string; labels: Array<{ span: { line: number; column: number } }> }>;
    };
    const fromOxlint = diagnostics
      .filter((d) => d.code === 'durable-write(no-unsynced-rename)')
      .map((d) => `${d.filename}:${d.labels[0]?.span.line}:${d.labels[0]?.span.column}`)
      .sort();

    const eslint = new ESLint({
      cwd: work,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
        { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
        plugin.configs.strict,
      ],
    });
    const fromEslint = (await eslint.lintFiles(['examples']))
      .flatMap((r) => r.messages.map((m) => `${path.relative(work, r.filePath)}:${m.line}:${m.column}`))
      .sort();

    expect(fromEslint.length).toBeGreaterThan(0);
    expect(fromOxlint).toEqual(fromEslint);
  });
});
