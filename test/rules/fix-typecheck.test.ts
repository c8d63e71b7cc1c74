/**
 * Fixes type-check in the TypeScript project they land in: the fixed file, compiled by tsc under
 * strict settings against the real types of the file system it calls, then run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../dist/src/index.js';
import { repositoryRoot } from '../codemods/support/packages.js';
import { strictTypecheck } from '../codemods/support/typecheck.js';

const work = mkdtempSync(join(tmpdir(), 'durable-write-fix-typecheck-'));
symlinkSync(join(repositoryRoot, 'node_modules'), join(work, 'node_modules'));
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'p', private: true, type: 'module' }));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function fixed(code: string, options: Record<string, unknown>): string {
  const linter = new Linter({ configType: 'flat', cwd: work });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      plugins: { 'durable-write': plugin },
      rules: { 'durable-write/no-unsynced-rename': ['error', options] },
      languageOptions: { parser: tsParser as Linter.Parser },
    },
  ];
  const { output, messages } = linter.verifyAndFix(code, config, join(work, 'save.ts'));
  expect(messages).toEqual([]);
  return output;
}

/** tsc's diagnostics for `text` as `save.ts`, or '' when it compiles. */
function typecheck(text: string): string {
  writeFileSync(join(work, 'save.ts'), text);
  return strictTypecheck(work, ['save.ts']);
}

let runs = 0;
/** Runs the fixed module's `save` on a file of an empty directory: its contents and the directory's files. */
function run(text: string): { contents: string; files: string[] } {
  runs += 1;
  const js = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  writeFileSync(join(work, `run${runs}.mjs`), js.outputText);
  const dir = join(work, `data${runs}`);
  mkdirSync(dir);
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { save } = await import('./run${runs}.mjs'); await save(${JSON.stringify(join(dir, 'out.json'))}, 'data');`,
    ],
    { cwd: work },
  );
  return { contents: readFileSync(join(dir, 'out.json'), 'utf8'), files: readdirSync(dir) };
}

describe('in-place fixes type-check', () => {
  const save = {
    promises: `export async function save(file: PortablePath, data: string): Promise<void> {
  const tmp = \`\${file}.tmp\` as PortablePath;
  await xfs.writeFilePromise(tmp, data);
  await xfs.renamePromise(tmp, file);
}
`,
    sync: `export function save(file: PortablePath, data: string): void {
  const tmp = \`\${file}.tmp\` as PortablePath;
  xfs.writeFileSync(tmp, data);
  xfs.renameSync(tmp, file);
}
`,
  };
  for (const [calls, body] of Object.entries(save)) {
    it(`Yarn's fslib, ${calls}: the directory to fsync is a PortablePath (ppath.dirname), as xfs.openSync takes`, () => {
      const code = `import { xfs, type PortablePath } from '@yarnpkg/fslib';\n\n${body}`;
      expect(typecheck(code)).toBe('');
      const output = fixed(code, { fixStyle: 'flush' });
      expect(output).toContain('fsyncSync(dirFd);');
      expect(output).not.toContain('flush');
      expect(typecheck(output)).toBe('');
      expect(run(output)).toEqual({ contents: 'data', files: ['out.json'] });
    });
  }
});
