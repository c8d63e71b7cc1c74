import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, programs, scratchDir, trace } from './support.js';

const scratch = scratchDir('endings');
afterAll(scratch.remove);

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until `done()` holds; fails after `tries` polls. Only waits, never asserts a duration. */
async function eventually(done: () => boolean, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i += 1) {
    if (done()) return true;
    await sleep(100);
  }
  return done();
}

describe('trace: honest endings', () => {
  it('a child SIGKILLed after an unsynced rename is counted and named; the exit code is not 0', () => {
    const dir = scratch.fresh();
    const program = join(dir, 'parent.mjs');
    writeFileSync(
      program,
      [
        "import { spawnSync } from 'node:child_process';",
        "const child = `require('fs').writeFileSync(process.argv[1] + '.tmp', 'x'); require('fs').renameSync(process.argv[1] + '.tmp', process.argv[1]); process.kill(process.pid, 'SIGKILL');`;",
        `spawnSync(process.execPath, ['-e', child, ${JSON.stringify(join(dir, 'state'))}], { stdio: 'inherit' });`,
        "console.log('parent done');",
      ].join('\n'),
    );
    const run = trace(['node', program]);
    expect(run.stdout).toBe('parent done\n');
    expect(existsSync(join(dir, 'state'))).toBe(true);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('1 traced process ended without reporting');
    expect(run.stderr).toMatch(/pid \d+: \S*node -e require\('fs'\)/);
    expect(run.stderr).not.toContain('no unsynced rename.');
    expect(run.unreported).toHaveLength(1);
    expect(run.unreported[0]?.argv).toContain('-e');
    expect(trace(['node', program], { args: ['--allow-unreported'] }).status).toBe(0);
  });

  it('a command that cannot be started: "cannot run", exit 127, and no reassurance', () => {
    const run = trace(['no-such-command-here']);
    expect(run.status).toBe(127);
    expect(run.stderr).toContain('cannot run no-such-command-here');
    expect(run.stderr).not.toContain('no unsynced rename');
  });

  it('a command that starts no Node process: says nothing was traced', () => {
    const run = trace(['sh', '-c', 'echo plain']);
    expect(run.stdout).toBe('plain\n');
    expect(run.stderr).toContain('no Node process was traced');
    expect(run.stderr).not.toContain('no unsynced rename');
  });

  it('SIGKILL of the CLI: the command (its whole process group) is stopped and the report folder removed', async () => {
    const dir = scratch.fresh();
    const program = join(dir, 'long.mjs');
    // A grandchild too: the group is stopped, not only the direct child.
    writeFileSync(
      program,
      [
        "import { spawn } from 'node:child_process';",
        "const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
        'process.stdout.write(JSON.stringify({ pid: process.pid, grandchild: grandchild.pid, dir: process.env.DURABLE_WRITE_TRACE_DIR }) + "\\n");',
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const cliRun = spawn(process.execPath, [cli, 'trace', '--', 'node', program], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    cliRun.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    expect(await eventually(() => stdout.includes('\n'), 300)).toBe(true);
    const started = JSON.parse(stdout) as { pid: number; grandchild: number; dir: string };
    expect(started.dir.startsWith(tmp)).toBe(true);
    expect(isAlive(started.pid) && isAlive(started.grandchild) && existsSync(started.dir)).toBe(true);
    cliRun.kill('SIGKILL');
    await once(cliRun, 'exit');
    expect(
      await eventually(() => !isAlive(started.pid) && !isAlive(started.grandchild) && !existsSync(started.dir)),
    ).toBe(true);
  });

  it('a report folder left by a run whose processes all died is swept at the next start', () => {
    const tmp = scratch.fresh();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = join(tmp, 'durable-write-trace-stale');
    mkdirSync(stale);
    writeFileSync(join(stale, 'owner'), String(dead));
    const alive = join(tmp, 'durable-write-trace-alive');
    mkdirSync(alive);
    writeFileSync(join(alive, 'owner'), String(process.pid));
    const notOurs = join(tmp, 'durable-write-trace-no-owner');
    mkdirSync(notOurs);
    trace(['node', '-e', '0'], { env: { TMPDIR: tmp } });
    expect([existsSync(stale), existsSync(alive), existsSync(notOurs)]).toEqual([false, true, true]);
  });
});

describe('trace: reports never mixed with the program output', () => {
  it('--format json with a noisy program: the program owns stdout, the report file is JSON, the text report comes last on stderr', () => {
    const dir = scratch.fresh();
    const program = join(dir, 'noisy.mjs');
    writeFileSync(
      program,
      [
        "import { renameSync, writeFileSync } from 'node:fs';",
        'for (let i = 0; i < 2000; i += 1) process.stdout.write(`{"line": ${i}}\\n`);',
        "process.stderr.write('program warning\\n');",
        `writeFileSync(${JSON.stringify(join(dir, 'x.tmp'))}, 'x');`,
        `renameSync(${JSON.stringify(join(dir, 'x.tmp'))}, ${JSON.stringify(join(dir, 'x'))});`,
      ].join('\n'),
    );
    const untraced = spawnSync(process.execPath, [program], { encoding: 'utf8' });
    const run = trace(['node', program]);
    expect(run.stdout).toBe(untraced.stdout);
    expect(run.findings).toHaveLength(1);
    expect(run.stderr.startsWith('program warning\n')).toBe(true);
    expect(run.stderr).toContain('durable-write trace: 1 finding');
  });

  it('--format json or sarif without --output is a usage error, not a report on the program’s stdout', () => {
    const run = spawnSync(
      process.execPath,
      [cli, 'trace', '--format', 'json', '--', 'node', join(programs, 'named-imports.mjs'), scratch.fresh()],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--format json needs --output');
  });
});

describe('trace: --ignore for CI', () => {
  it('drops renames by the paths renamed and by the code that made them; keeps the rest', () => {
    const dir = scratch.fresh();
    mkdirSync(join(dir, 'fixtures'));
    mkdirSync(join(dir, 'test'));
    const save = (name: string) =>
      `fs.writeFileSync(${JSON.stringify(join(dir, name))} + '.tmp', 'x'); fs.renameSync(${JSON.stringify(join(dir, name))} + '.tmp', ${JSON.stringify(join(dir, name))});`;
    writeFileSync(
      join(dir, 'test/helper.cjs'),
      `const fs = require('node:fs');\nexports.save = () => { ${save('from-test-code')} };\n`,
    );
    writeFileSync(
      join(dir, 'app.cjs'),
      [
        "const fs = require('node:fs');",
        save('fixtures/moved'),
        save('real'),
        "require('./test/helper.cjs').save();",
      ].join('\n'),
    );
    const all = trace(['node', join(dir, 'app.cjs')], { cwd: dir });
    expect(
      all.findings.flatMap((finding) => finding.renames.map((rename) => rename.to.slice(dir.length + 1))).sort(),
    ).toEqual(['fixtures/moved', 'from-test-code', 'real']);
    const filtered = trace(['node', join(dir, 'app.cjs')], {
      cwd: dir,
      args: ['--ignore', 'fixtures/**', '--ignore', 'test/**'],
    });
    expect(
      filtered.findings.flatMap((finding) => finding.renames.map((rename) => rename.to.slice(dir.length + 1))),
    ).toEqual(['real']);
    expect(filtered.status).toBe(1);
    expect(trace(['node', join(dir, 'app.cjs')], { cwd: dir, args: ['--ignore', '**'] }).status).toBe(0);
  });
});
