/**
 * A fix removes a declaration only when the scope manager finds every reference to it in the code
 * the fix removes: the destination's text moves into the helper call, so a destination local used
 * only by the temp name and the rename stays. Each program runs before and after the autofix, every
 * suggestion and the codemod (execution is the oracle), and the fixed one runs under the tracer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { rewriteSource } from '../../codemods/engine.js';
import { compareRuns, createScratch, fileNameFor, runProgram, type Lang, type Run } from '../../scripts/lib/execution-oracle.js';

const scratch = createScratch('dead-code');
afterAll(() => scratch.dispose());

const RULE = 'durable-write/no-unsynced-rename';
// The files linted live under the scratch root: flat config matches paths relative to `cwd`.
const linter = new Linter({ configType: 'flat', cwd: scratch.root });
const configFor = (lang: Lang): Linter.Config[] => [
  {
    files: ['**/*.cjs', '**/*.mjs', '**/*.ts'],
    languageOptions: lang === 'ts' ? { parser: tsParser as never, sourceType: 'module' } : { sourceType: lang === 'cjs' ? 'commonjs' : 'module' },
    plugins: { 'durable-write': plugin as never },
    rules: { [RULE]: 'error' },
  },
];

interface FixedVersion {
  readonly by: string;
  readonly text: string;
}

/** The program as `eslint --fix`, each suggestion alone, and the codemod leave it (when they change it). */
function fixedVersions(text: string, lang: Lang): FixedVersion[] {
  // The file sits in a package that lists the runtime in `dependencies`: the helper rewrite is an autofix.
  const filename = join(scratch.packageDir(lang), fileNameFor(lang));
  writeFileSync(filename, text);
  const versions: FixedVersion[] = [];
  const autofix = linter.verifyAndFix(text, configFor(lang), filename);
  if (autofix.fixed) versions.push({ by: 'eslint --fix', text: autofix.output });
  for (const message of linter.verify(text, configFor(lang), filename)) {
    for (const suggestion of message.suggestions ?? []) {
      const [start, end] = suggestion.fix.range;
      versions.push({ by: `suggestion ${suggestion.messageId ?? suggestion.desc}`, text: text.slice(0, start) + suggestion.fix.text + text.slice(end) });
    }
  }
  const codemod = rewriteSource(text, filename);
  if (codemod.status === 'rewritten' && codemod.output) versions.push({ by: 'codemod', text: codemod.output });
  return versions;
}

const reportsOf = (text: string, lang: Lang): number =>
  linter.verify(text, configFor(lang), join(scratch.packageDir(lang), fileNameFor(lang))).filter((m) => m.ruleId === RULE || m.ruleId === null).length;

/** Runs the program and every fixed version; each must behave the same, durably, and be clean. */
function expectFixesPreserveBehaviour(text: string, lang: Lang): { before: Run; versions: FixedVersion[] } {
  const before = runProgram(scratch, { text, lang, traced: true });
  expect(before.escaped).toEqual([]);
  expect(before.unsyncedRenames).toBeGreaterThan(0);
  const versions = fixedVersions(text, lang);
  expect(versions.map((v) => v.by)).toContain('eslint --fix');
  expect(versions.map((v) => v.by)).toContain('codemod');
  for (const version of versions) {
    const after = runProgram(scratch, { text: version.text, lang, traced: true });
    // The helper's errors are DurableWriteError with fs's code: a listed difference of the summary.
    expect({ by: version.by, differences: compareRuns(before, after, new Set(['error-class'])) }).toEqual({ by: version.by, differences: [] });
    expect({ by: version.by, unsynced: after.unsyncedRenames }).toEqual({ by: version.by, unsynced: 0 });
    expect({ by: version.by, reports: reportsOf(version.text, lang) }).toEqual({ by: version.by, reports: 0 });
  }
  return { before, versions };
}

const fixedBy = (versions: FixedVersion[], by: string): string => versions.find((v) => v.by === by)?.text ?? '';

describe('a destination used only by the temp name and the rename keeps its declaration', () => {
  it('CommonJS, sync', () => {
    const { versions } = expectFixesPreserveBehaviour(
      `const fs = require('fs');

function save(dir, data) {
  const file = dir + '/a.json';
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

save('.', 'one');
console.log(fs.readFileSync('a.json', 'utf8'));
`,
      'cjs',
    );
    expect(fixedBy(versions, 'eslint --fix')).toContain(`  const file = dir + '/a.json';
  writeFileDurableSync(file, data);
`);
  });

  it('ESM, awaited promises, with the path import still used by the destination', () => {
    const { versions } = expectFixesPreserveBehaviour(
      `import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function save(dir, data) {
  const target = join(dir, 'state.json');
  const staging = target + '.staging';
  await writeFile(staging, data);
  await rename(staging, target);
}

await save('.', 'two');
console.log(await readFile('state.json', 'utf8'));
`,
      'esm',
    );
    const fixed = fixedBy(versions, 'codemod');
    expect(fixed).toContain("import { join } from 'node:path';");
    expect(fixed).toContain(`  const target = join(dir, 'state.json');
  await writeFileDurable(target, data);
`);
  });

  it('TypeScript, with the path built by a template literal', () => {
    expectFixesPreserveBehaviour(
      `import fs from 'node:fs';
import path from 'node:path';

export function saveSettings(dir: string, settings: object): void {
  const file: string = path.join(dir, 'settings.json');
  const tmp = \`\${file}.\${process.pid}.tmp\`;
  fs.writeFileSync(tmp, JSON.stringify(settings, null, 2));
  fs.renameSync(tmp, file);
}

saveSettings('.', { theme: 'dark' });
console.log(fs.readFileSync('settings.json', 'utf8'));
`,
      'ts',
    );
  });
});

describe('the example `npm run demo` fixes', () => {
  it('examples/buggy/save-settings.js keeps `file` and the path import, and runs', () => {
    const example = readFileSync(new URL('../../examples/buggy/save-settings.js', import.meta.url), 'utf8');
    const { versions } = expectFixesPreserveBehaviour(`${example}\nsaveSettings('.', { theme: 'dark' });\nconsole.log(fs.readFileSync('settings.json', 'utf8'));\n`, 'esm');
    expect(fixedBy(versions, 'codemod')).toContain("  const file = path.join(dir, 'settings.json');\n  writeFileDurableSync(file, ");
  });
});

describe('names shared with other scopes', () => {
  it('a destination that shadows an outer binding of its name stays: the helper call must not write to the outer one', () => {
    expectFixesPreserveBehaviour(
      `const fs = require('fs');
const file = 'outer.json';

function save(dir, data) {
  const file = dir + '/inner.json';
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

save('.', 'three');
console.log(fs.readdirSync('.'), file);
`,
      'cjs',
    );
  });

  it('a temp name shadowed in a nested function: the nested one is not the removed one', () => {
    expectFixesPreserveBehaviour(
      `import fs from 'node:fs';

export function save(file, data) {
  const tmp = file + '.tmp';
  const describe = () => {
    const tmp = 'nested';
    return tmp;
  };
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
  return describe();
}

console.log(save('shadow.json', 'four'));
`,
      'esm',
    );
  });

  it('a local that only built the temp name goes (to a fixed point), and the program still runs', () => {
    const { versions } = expectFixesPreserveBehaviour(
      `const fs = require('fs');

function save(file, data) {
  const suffix = '.tmp';
  const tmp = file + suffix;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

save('suffix.json', 'five');
console.log(fs.readFileSync('suffix.json', 'utf8'));
`,
      'cjs',
    );
    expect(fixedBy(versions, 'eslint --fix')).not.toContain('suffix =');
  });
});

describe('callbacks and FileHandle', () => {
  it('a write callback whose rename callback is the caller callback: the destination local stays', () => {
    const source = `const fs = require('fs');
const path = require('path');

function save(dir, data, callback) {
  const file = path.join(dir, 'cb.json');
  const tmp = file + '.tmp';
  fs.writeFile(tmp, data, (err) => {
    if (err) return callback(err);
    fs.rename(tmp, file, callback);
  });
}

save('.', 'six', (err) => {
  console.log('done', err ?? null, fs.readFileSync('cb.json', 'utf8'));
});
`;
    const before = runProgram(scratch, { text: source, lang: 'cjs', traced: true });
    expect(before.stdout).toBe('done null six\n');
    const filename = join(scratch.packageDir('cjs'), 'program.cjs');
    writeFileSync(filename, source);
    const codemod = rewriteSource(source, filename);
    // A callback rewrite is the codemod's (and a suggestion's), never an autofix.
    expect(codemod.status).toBe('rewritten');
    expect(codemod.output).toContain("const file = path.join(dir, 'cb.json');");
    const versions = [{ by: 'codemod', text: codemod.output as string }, ...fixedVersions(source, 'cjs').filter((v) => v.by !== 'codemod')];
    for (const version of versions) {
      const after = runProgram(scratch, { text: version.text, lang: 'cjs', traced: true });
      expect({ by: version.by, differences: compareRuns(before, after, new Set(['error-class'])) }).toEqual({ by: version.by, differences: [] });
      expect({ by: version.by, unsynced: after.unsyncedRenames }).toEqual({ by: version.by, unsynced: 0 });
    }
  });

  it('a FileHandle write: the destination local stays', () => {
    const source = `import { open, readFile, rename } from 'node:fs/promises';

export async function save(dir, data) {
  const file = dir + '/handle.json';
  const tmp = file + '.tmp';
  const handle = await open(tmp, 'w');
  await handle.writeFile(data);
  await handle.close();
  await rename(tmp, file);
}

await save('.', 'seven');
console.log(await readFile('handle.json', 'utf8'));
`;
    const before = runProgram(scratch, { text: source, lang: 'esm', traced: true });
    expect(before.stdout).toBe('seven\n');
    const versions = fixedVersions(source, 'esm');
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) {
      const after = runProgram(scratch, { text: version.text, lang: 'esm', traced: true });
      expect({ by: version.by, differences: compareRuns(before, after, new Set(['error-class'])) }).toEqual({ by: version.by, differences: [] });
      expect({ by: version.by, unsynced: after.unsyncedRenames }).toEqual({ by: version.by, unsynced: 0 });
    }
  });
});
