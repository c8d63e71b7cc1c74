/**
 * A fix removes a declaration only when the scope manager finds every reference to it in the code
 * the fix removes: the destination's text moves into the helper call, so a destination local used
 * only by the temp name and the rename stays. Each program runs before and after the autofix, every
 * suggestion and the codemod (execution is the oracle), and the fixed one runs under the tracer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rewriteSource } from '../../codemods/engine.js';
import { compareRuns, runProgram } from '../../scripts/lib/execution-oracle.js';
import { createFixOracle, fixedBy } from './fix-oracle.js';

const { scratch, fixedVersions, expectFixesPreserveBehaviour } = createFixOracle('dead-code');
afterAll(() => scratch.dispose());

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
    const { versions } = expectFixesPreserveBehaviour(
      `${example}\nsaveSettings('.', { theme: 'dark' });\nconsole.log(fs.readFileSync('settings.json', 'utf8'));\n`,
      'esm',
    );
    expect(fixedBy(versions, 'codemod')).toContain(
      "  const file = path.join(dir, 'settings.json');\n  writeFileDurableSync(file, ",
    );
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
    const versions = [
      { by: 'codemod', text: codemod.output as string },
      ...fixedVersions(source, 'cjs').filter((v) => v.by !== 'codemod'),
    ];
    for (const version of versions) {
      const after = runProgram(scratch, { text: version.text, lang: 'cjs', traced: true });
      expect({ by: version.by, differences: compareRuns(before, after, new Set(['error-class'])) }).toEqual({
        by: version.by,
        differences: [],
      });
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
      expect({ by: version.by, differences: compareRuns(before, after, new Set(['error-class'])) }).toEqual({
        by: version.by,
        differences: [],
      });
      expect({ by: version.by, unsynced: after.unsyncedRenames }).toEqual({ by: version.by, unsynced: 0 });
    }
  });
});
