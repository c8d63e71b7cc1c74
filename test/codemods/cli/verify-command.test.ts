/**
 * `durable-write fix --verify-command`: the user's command runs on the project as it is and on a
 * scratch copy with the rewrite applied. Each case's command is a test script of the project's
 * own, which logs where it ran; the CLI runs with its own TMPDIR so that every scratch copy it made
 * can be seen to be gone.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
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
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/codemods/cli.js');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });

let work: string;
beforeAll(() => {
  if (!existsSync(cli)) throw new Error('the CLI tests need the build: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'durable-write-verify-command-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const program = `const fs = require('fs');
function save(file, data) {
  fs.writeFileSync(file + '.tmp', data);
  fs.renameSync(file + '.tmp', file);
}
module.exports = { save };
`;

/**
 * The project's test: saves a file through save.js and checks its content, logs its working
 * directory to $VERIFY_LOG; with \`mode\` \`text\` it also fails when save.js no longer names
 * renameSync (a test that pins the implementation), with \`hang\` it never ends once the rewrite is
 * in, after starting a grandchild that records its pid.
 */
const testScript = (mode: 'plain' | 'text' | 'hang'): string => `const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
fs.appendFileSync(process.env.VERIFY_LOG, process.cwd() + '\\n');
const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'saved-'));
require('./save.js').save(path.join(dir, 'out.json'), '{"ok":true}');
if (fs.readFileSync(path.join(dir, 'out.json'), 'utf8') !== '{"ok":true}') throw new Error('wrong content');
fs.rmSync(dir, { recursive: true });
const rewritten = !fs.readFileSync(path.join(__dirname, 'save.js'), 'utf8').includes('renameSync');
${
  mode === 'text'
    ? "if (rewritten) { console.error('MARKER: save.js must call renameSync'); process.exit(3); }"
    : mode === 'hang'
      ? "if (rewritten) { const child = spawn('sleep', ['1000'], { stdio: 'ignore' }); fs.writeFileSync(process.env.VERIFY_LOG + '.pid', String(child.pid)); setInterval(() => {}, 1000); }"
      : ''
}
console.log('tests passed');
`;

function project(name: string, mode: 'plain' | 'text' | 'hang'): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
  writeFileSync(join(dir, 'save.js'), program);
  writeFileSync(join(dir, 'test.cjs'), testScript(mode));
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

/** The CLI in `dir` with a TMPDIR of its own; returns its result, the logged cwds and that TMPDIR. */
function fix(dir: string, ...args: string[]) {
  const tmp = mkdtempSync(join(work, 'tmp-'));
  const log = join(work, `${readdirSync(work).length}.log`);
  const result = spawnSync(process.execPath, [cli, 'fix', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: tmp, VERIFY_LOG: log },
  });
  const ran = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { ...result, ran, tmp, log };
}

/** Gone, or killed and waiting to be reaped (a zombie runs nothing); SIGKILL lands when it next runs. */
async function diesSoon(pid: number): Promise<boolean> {
  for (let turn = 0; turn < 200; turn++) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return true;
    } catch {
      return true;
    }
    await sleep(25);
  }
  return false;
}

const scratchCopies = (tmp: string): string[] => readdirSync(tmp).filter((n) => n.startsWith('durable-write-scratch-'));

describe('fix --verify-command', () => {
  it('passes before and after: the rewrite is written, the command ran in the project and in a copy now removed', () => {
    const dir = project('passes', 'plain');
    const result = fix(dir, '--write', '--verify-command', 'node test.cjs', '--format', 'json');
    expect(result.stderr).toContain('--verify-command: passes before and after the rewrite (exit 0)');
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, 'save.js'), 'utf8')).toContain('writeFileDurableSync');
    expect(result.ran).toHaveLength(2);
    expect(result.ran[0]).toBe(dir);
    expect(result.ran[1]?.startsWith(join(result.tmp, 'durable-write-scratch-'))).toBe(true);
    expect(existsSync(result.ran[1] as string)).toBe(false);
    expect(scratchCopies(result.tmp)).toEqual([]);
    const checks = (JSON.parse(result.stdout) as { checks: Array<{ name: string; outcome: string }> }).checks;
    expect(checks.map((c) => [c.name, c.outcome])).toEqual([
      ['re-lint', 'passed'],
      ['--typecheck', 'not run'],
      ['--verify-command', 'passed'],
      ['project lint', 'not run'],
    ]);
  });

  it('passes before and fails after: --write refused (exit 1), nothing written, the end of its output shown', () => {
    const dir = project('breaks', 'text');
    const result = fix(dir, '--write', '--verify-command', 'node test.cjs');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '--verify-command: passes before the rewrite and fails after it (exit 3); nothing written:\n  | MARKER: save.js must call renameSync',
    );
    expect(result.stderr).toContain('checks: re-lint passed, --typecheck not run, --verify-command refused');
    expect(readFileSync(join(dir, 'save.js'), 'utf8')).toBe(program);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(result.ran).toHaveLength(2);
    expect(scratchCopies(result.tmp)).toEqual([]);
    // Without the command the same rewrite is written.
    expect(fix(dir, '--write').status).toBe(0);
    expect(readFileSync(join(dir, 'save.js'), 'utf8')).not.toBe(program);
  });

  it('times out on the rewritten copy: its process group killed, the rewrite refused, the copy removed', async () => {
    const dir = project('hangs', 'hang');
    const result = fix(dir, '--write', '--verify-command', 'node test.cjs', '--verify-timeout', '2');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '--verify-command: exit 0 before the rewrite, timed out after 2 s (its process group killed) after it; nothing written',
    );
    expect(readFileSync(join(dir, 'save.js'), 'utf8')).toBe(program);
    expect(scratchCopies(result.tmp)).toEqual([]);
    const grandchild = Number(readFileSync(`${result.log}.pid`, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(await diesSoon(grandchild)).toBe(true);
  });

  it('interrupted while the command runs on the copy: its process group killed, the copy removed, nothing written', async () => {
    const dir = project('interrupted', 'hang');
    const tmp = mkdtempSync(join(work, 'tmp-'));
    const log = join(work, 'interrupted.log');
    const cliProcess = spawn(process.execPath, [cli, 'fix', '--write', '--verify-command', 'node test.cjs'], {
      cwd: dir,
      env: { ...process.env, TMPDIR: tmp, VERIFY_LOG: log },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((done) => cliProcess.on('exit', (_code, signal) => done(signal)));
    let grandchild = 0;
    for (let turn = 0; turn < 1200 && !grandchild; turn++) {
      if (existsSync(`${log}.pid`)) grandchild = Number(readFileSync(`${log}.pid`, 'utf8'));
      else await sleep(25);
    }
    expect(grandchild).toBeGreaterThan(0);
    expect(scratchCopies(tmp)).toHaveLength(1);
    cliProcess.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(scratchCopies(tmp)).toEqual([]);
    expect(await diesSoon(grandchild)).toBe(true);
    expect(readFileSync(join(dir, 'save.js'), 'utf8')).toBe(program);
  });

  it('a command that fails before the rewrite too is reported as no verdict; usage errors for bad values', () => {
    const dir = project('fails-both', 'plain');
    const result = fix(dir, '--verify-command', 'node test.cjs && exit 4');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      '--verify-command: fails before the rewrite (exit 4) and after it (exit 4), so it cannot judge the rewrite',
    );
    expect(fix(dir, '--verify-timeout', '5').stderr).toContain('--verify-timeout applies to --verify-command');
    expect(fix(dir, '--verify-command', 'true', '--verify-timeout', 'soon').status).toBe(2);
  });
});
