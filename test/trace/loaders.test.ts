import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { programs, renamedTargets, repo, scratchDir, trace } from './support.js';

const scratch = scratchDir('loaders');
afterAll(scratch.remove);
const bin = (name: string): string => join(repo, 'node_modules/.bin', name);

/** The lines of programs/settings.ts that write and rename, as a reader finds them in the file. */
const WRITE_LINE = 11;
const RENAME_LINE = 12;

/**
 * A TypeScript project that only runs through a loader: `type` decides the module system, and an
 * interface makes the compiled output shorter than the source, so unmapped lines would be wrong.
 */
function project(type: 'commonjs' | 'module'): string {
  const dir = scratch.fresh();
  copyFileSync(join(programs, 'settings.ts'), join(dir, 'settings.ts'));
  const specifier = type === 'module' ? './settings.ts' : './settings';
  writeFileSync(
    join(dir, 'app.ts'),
    `import { saveSettings } from '${specifier}';\nconst target: string = process.argv[2]!;\nsaveSettings(target, { theme: 'dark', fontSize: 12 });\nconsole.log('saved');\n`,
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
  const compilerOptions =
    type === 'module'
      ? {
          module: 'nodenext',
          target: 'es2022',
          strict: true,
          types: ['node'],
          allowImportingTsExtensions: true,
          noEmit: true,
        }
      : { module: 'commonjs', target: 'es2022', strict: true, types: ['node'] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions }));
  return dir;
}

/** Runs the command untraced, then traced: same output, and the one finding on the .ts lines. */
function expectTracedLikeUntraced(command: string[], dir: string, columns = true): void {
  const target = join(dir, 'out.json');
  const untraced = spawnSync(command[0]!, [...command.slice(1), target], { cwd: dir, encoding: 'utf8' });
  expect(untraced.stderr.replace(/\(node:\d+\)/g, '')).not.toContain('Error');
  expect(untraced.stdout).toBe('saved\n');
  expect(untraced.status).toBe(0);
  const traced = trace([...command, target], { cwd: dir });
  expect(traced.stdout).toBe(untraced.stdout);
  expect(traced.status).toBe(1);
  const [finding, ...rest] = traced.findings;
  expect(rest).toEqual([]);
  expect(renamedTargets(traced.findings)).toEqual(['out.json']);
  expect(finding?.write?.site).toMatchObject({
    file: join(dir, 'settings.ts'),
    line: WRITE_LINE,
    ...(columns ? { column: 3 } : {}),
  });
  expect(finding?.rename.site).toMatchObject({
    file: join(dir, 'settings.ts'),
    line: RENAME_LINE,
    ...(columns ? { column: 3 } : {}),
  });
}

describe('trace: the program loads as it does untraced (loader matrix)', () => {
  // ts-node's CommonJS output calls `(0, node_fs_1.renameSync)(…)`: V8 places the call at its `(`,
  // which ts-node's source map sends to the end of the name. Lines are exact, columns are ts-node's.
  it('node -r ts-node/register (a require hook, CommonJS)', () => {
    expectTracedLikeUntraced(['node', '-r', 'ts-node/register', 'app.ts'], project('commonjs'), false);
  });

  it('ts-node (its own binary, CommonJS)', () => {
    expectTracedLikeUntraced([bin('ts-node'), 'app.ts'], project('commonjs'), false);
  });

  it('node --loader ts-node/esm (ESM loader hooks)', () => {
    expectTracedLikeUntraced(['node', '--no-warnings', '--loader', 'ts-node/esm', 'app.ts'], project('module'));
  });

  it.each(['commonjs', 'module'] as const)('tsx (%s)', (type) => {
    expectTracedLikeUntraced([bin('tsx'), 'app.ts'], project(type));
  });

  it('node --import tsx (module.register hooks)', () => {
    expectTracedLikeUntraced(['node', '--import', 'tsx', 'app.ts'], project('module'));
  });

  it('node -r <a pirates hook> (the require-hook library under @babel/register and nyc)', () => {
    const dir = project('commonjs');
    // A tiny compiler: strips the type annotations this project uses, keeping every line in place.
    writeFileSync(
      join(dir, 'hook.cjs'),
      [
        "const { addHook } = require('pirates');",
        'addHook((code) => code',
        "  .replace(/^export interface[^}]*}/m, (m) => m.replace(/[^\\n]/g, ''))",
        "  .replace(/import \\{ (\\w+) \\} from '(.*)';/, 'const { $1 } = require(\"$2\");')",
        "  .replace(/import \\{ (\\w+), (\\w+) \\} from '(.*)';/, 'const { $1, $2 } = require(\"$3\");')",
        "  .replace(/export function/, 'exports.saveSettings = saveSettings; function')",
        "  .replace(/: (string|void|Settings)\\b/g, '').replace(/!;/g, ';'),",
        "  { exts: ['.ts'] });",
      ].join('\n'),
    );
    expectTracedLikeUntraced(['node', '-r', './hook.cjs', 'app.ts'], dir);
  });

  it('require(esm) turned off (--no-experimental-require-module): the tracer comes through --import, workers too', () => {
    const dir = scratch.fresh();
    const options = '--no-experimental-require-module';
    const untraced = spawnSync('node', [join(programs, 'worker-exec-argv.mjs'), dir], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: options },
    });
    expect(untraced).toMatchObject({ status: 0, stderr: '' });
    const traced = trace(['node', join(programs, 'worker-exec-argv.mjs'), dir], { env: { NODE_OPTIONS: options } });
    expect(traced.programStderr).toBe('');
    expect(traced.unreported).toEqual([]);
    expect(renamedTargets(traced.findings)).toEqual(['empty-exec-argv', 'inherited-exec-argv', 'own-exec-argv']);
  });

  // vitest's pools, vm ones included, are in processes.test.ts.
});
