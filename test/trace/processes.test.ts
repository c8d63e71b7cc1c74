import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, programs, register, renamedTargets, repo, scratchDir, sourceLine, trace } from './support.js';

const scratch = scratchDir('processes');
afterAll(scratch.remove);
const freshDir = scratch.fresh;

describe('trace: processes, threads and module systems', () => {
  it('follows worker threads (also when terminated) and forked children, and merges their reports', () => {
    const run = trace(['node', join(programs, 'processes.mjs'), freshDir()]);
    expect(run.programStderr).toBe('');
    expect(renamedTargets(run.findings)).toEqual(['from-child', 'from-worker']);
    // Same write and rename lines in two processes: one finding each, since the sites are equal.
    expect(run.findings.reduce((sum, finding) => sum + finding.count, 0)).toBe(2);
  });

  it('sees CommonJS requires, destructured or not', () => {
    const run = trace(['node', join(programs, 'commonjs.cjs'), freshDir()]);
    expect(renamedTargets(run.findings)).toEqual(['destructured', 'promises']);
  });

  it('sees ESM named imports of node:fs and fs/promises', () => {
    const run = trace(['node', join(programs, 'named-imports.mjs'), freshDir()]);
    expect(renamedTargets(run.findings)).toEqual(['named-promises', 'named-sync']);
  });

  it('maps compiled TypeScript back to the .ts lines through its source map', () => {
    const dir = freshDir();
    const source = join(dir, 'settings.ts');
    copyFileSync(join(programs, 'settings.ts'), source);
    const out = ts.transpileModule(readFileSync(source, 'utf8'), {
      fileName: 'settings.ts',
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
    });
    writeFileSync(join(dir, 'settings.mjs'), out.outputText.replace('settings.js.map', 'settings.mjs.map'));
    writeFileSync(join(dir, 'settings.mjs.map'), out.sourceMapText!);
    const main = `import { saveSettings } from './settings.mjs';\nsaveSettings(process.argv[2], { theme: 'dark', fontSize: 12 });\n`;
    writeFileSync(join(dir, 'main.mjs'), main);
    const [finding, ...rest] = trace(['node', join(dir, 'main.mjs'), join(dir, 'settings.json')]).findings;
    expect(rest).toEqual([]);
    expect(finding?.write?.site?.file).toBe(source);
    expect(sourceLine(finding?.write?.site)).toContain('writeFileSync(`${file}.tmp`, text);');
    expect(sourceLine(finding?.rename.site)).toContain('renameSync(`${file}.tmp`, file);');
  });

  // vmThreads/vmForks run test files in vm contexts, whose stacks vitest maps itself: lines and columns must still be the .ts ones.
  it.each(['forks', 'threads', 'vmThreads', 'vmForks'])(
    'traces a vitest run (pool %s): the test workers, stopped by vitest, still report, with TypeScript lines',
    (pool) => {
      const dir = freshDir();
      copyFileSync(join(programs, 'settings.ts'), join(dir, 'settings.ts'));
      writeFileSync(
        join(dir, 'settings.test.ts'),
        [
          "import { it, expect } from 'vitest';",
          "import { saveSettings } from './settings.js';",
          "it('saves', () => {",
          `  saveSettings(${JSON.stringify(join(dir, 'from-test.json'))}, { theme: 'light', fontSize: 10 });`,
          '  expect(true).toBe(true);',
          '});',
        ].join('\n'),
      );
      writeFileSync(join(dir, 'vitest.config.mjs'), 'export default {};\n');
      const run = trace(
        ['node', join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, `--pool=${pool}`],
        { cwd: dir },
      );
      expect(run.status).toBe(1);
      expect(run.unreported).toEqual([]);
      const ours = run.findings.filter((finding) => finding.rename.site?.file === join(dir, 'settings.ts'));
      expect(renamedTargets(ours)).toEqual(['from-test.json']);
      expect(ours[0]?.write?.site).toMatchObject({ line: 11, column: 3 });
      expect(ours[0]?.rename.site).toMatchObject({ line: 12, column: 3 });
      expect(sourceLine(ours[0]?.write?.site)).toContain('writeFileSync(');
    },
  );
});

describe('trace: never changes the program', () => {
  const observe = (env: NodeJS.ProcessEnv) => {
    const dir = freshDir();
    const run = spawnSync(process.execPath, [join(programs, 'behaviour.mjs'), dir], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    expect(run.stderr).toBe('');
    return run.stdout;
  };

  it('same return values, errors, callback and promise order, function names', () => {
    const untraced = observe({});
    expect(untraced).toContain('renameSync error');
    const reports = freshDir();
    expect(observe({ NODE_OPTIONS: `--import=${register}`, DURABLE_WRITE_TRACE_DIR: reports })).toBe(untraced);
    // The tracer was there: it saw the program's one naive writeFileSync + renameSync.
    const [report] = readdirSync(reports).map(
      (name) => JSON.parse(readFileSync(join(reports, name), 'utf8')) as { findings: unknown[] },
    );
    expect(report?.findings).toHaveLength(1);
  });

  it('SIGTERM: the report is written, then the process dies of the signal, or its own handler decides', async () => {
    for (const handle of [false, true]) {
      const reports = freshDir();
      const child = spawn(
        process.execPath,
        [join(programs, 'signals.mjs'), freshDir(), ...(handle ? ['handle'] : [])],
        {
          env: { ...process.env, NODE_OPTIONS: `--import=${register}`, DURABLE_WRITE_TRACE_DIR: reports },
        },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('ready') && !child.killed) child.kill('SIGTERM');
      });
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      expect([code, signal]).toEqual(handle ? [3, null] : [null, 'SIGTERM']);
      expect(stdout.includes('own handler')).toBe(handle);
      const [report] = readdirSync(reports).map(
        (name) => JSON.parse(readFileSync(join(reports, name), 'utf8')) as { findings: unknown[] },
      );
      expect(report?.findings).toHaveLength(1);
    }
  });

  it('SIGTERM to `durable-write trace` reaches the command; the report still comes, the exit code says SIGTERM', async () => {
    const output = join(freshDir(), 'report.json');
    const cliRun = spawn(process.execPath, [
      cli,
      'trace',
      '--format',
      'json',
      '--output',
      output,
      '--',
      'node',
      join(programs, 'signals.mjs'),
      freshDir(),
    ]);
    let stdout = '';
    cliRun.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready') && !cliRun.killed) cliRun.kill('SIGTERM');
    });
    const [code, signal] = (await once(cliRun, 'exit')) as [number | null, string | null];
    expect([code, signal]).toEqual([128 + 15, null]);
    const report = JSON.parse(readFileSync(output, 'utf8')) as { findings: unknown[] };
    expect(report.findings).toHaveLength(1);
  });

  it('a frozen fs (hardened realm) is left alone: the program runs as before, untraced', () => {
    const dir = freshDir();
    // The user's own NODE_OPTIONS come first, so this preload freezes fs before the tracer loads.
    // Reading every property first turns Node's lazy getters into values, which Node's ESM facade
    // of node:fs needs to define later on a frozen object.
    writeFileSync(
      join(dir, 'freeze.cjs'),
      "const fs = require('node:fs');\nfor (const key of Reflect.ownKeys(fs)) void fs[key];\nObject.freeze(fs);\nObject.freeze(fs.promises);\n",
    );
    const run = trace(['node', join(programs, 'named-imports.mjs'), dir], {
      env: { NODE_OPTIONS: `--require=${join(dir, 'freeze.cjs')}` },
    });
    expect(run.programStderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.findings).toEqual([]);
  });

  it('node --import eslint-plugin-durable-write/trace: the package export, without the CLI, prints a summary', () => {
    // A package can import itself by name: this resolves through package.json "exports".
    const run = spawnSync(
      process.execPath,
      ['--import', 'eslint-plugin-durable-write/trace', join(programs, 'named-imports.mjs'), freshDir()],
      {
        encoding: 'utf8',
        cwd: repo,
      },
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('durable-write trace: 2 findings');
    expect(run.stderr).toContain('renamed at  test/trace/programs/named-imports.mjs:8:1');
  });

  it('loaded twice counts once; DURABLE_WRITE_TRACE=0 turns it off', () => {
    const program = ['node', join(programs, 'named-imports.mjs')];
    const twice = trace(program.concat(freshDir()), { env: { NODE_OPTIONS: `--import=${register}` } });
    expect(twice.findings.map((finding) => finding.count)).toEqual([1, 1]);
    const off = trace(program.concat(freshDir()), { env: { DURABLE_WRITE_TRACE: '0' } });
    expect(off.findings).toEqual([]);
    expect(off.status).toBe(0);
  });

  it("exit code: the command's own when it failed, 1 on findings, 0 with --no-fail", () => {
    const program = join(programs, 'named-imports.mjs');
    expect(trace(['node', program, freshDir()]).status).toBe(1);
    expect(trace(['node', program, freshDir()], { args: ['--no-fail'] }).status).toBe(0);
    expect(trace(['node', '-e', 'process.exit(7)']).status).toBe(7);
    const dir = freshDir();
    writeFileSync(join(dir, 'failing.mjs'), `await import(${JSON.stringify(program)});\nprocess.exitCode = 5;\n`);
    const failed = trace(['node', join(dir, 'failing.mjs'), dir]);
    expect(failed.findings).toHaveLength(2);
    expect(failed.status).toBe(5);
    expect(trace(['no-such-command-here']).status).toBe(127);
  });

  it('usage errors exit 2 with a message; an unwritable --output loses nothing (the report goes to stderr)', () => {
    const noDash = spawnSync(process.execPath, [cli, 'trace', 'node', '-e', '0'], { encoding: 'utf8' });
    expect(noDash.status).toBe(2);
    expect(noDash.stderr).toContain('no command: put it after --');
    const badFormat = spawnSync(process.execPath, [cli, 'trace', '--format', 'xml', '--', 'node', '-e', '0'], {
      encoding: 'utf8',
    });
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toContain('unknown --format xml');
    const program = join(programs, 'named-imports.mjs');
    const output = join(scratch.dir, 'no/such/dir/report.txt');
    const unwritable = spawnSync(
      process.execPath,
      [cli, 'trace', '--output', output, '--', 'node', program, freshDir()],
      { encoding: 'utf8' },
    );
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toContain(`could not create the temp file for '${output}'`);
    expect(unwritable.stderr).toContain('durable-write trace: 2 findings');
  });
});
