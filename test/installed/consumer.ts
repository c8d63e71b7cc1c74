/**
 * What a user gets: both packages packed from the current build, installed from their tarballs into
 * fresh projects made here, the way the README says to before the first release: the runtime's
 * tarball in `dependencies` and an override pointing the plugin's own `durable-write-runtime`
 * dependency at it (`$name`: npm refuses an override that differs from a direct dependency).
 * Registry tarballs (ESLint, typescript-eslint…) go to one npm cache under `.scratch/`, keyed by the
 * lockfile, so a second run installs offline.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const runtimeDir = join(repositoryRoot, 'packages', 'durable-write-runtime');

const lockKey = createHash('sha256')
  .update(readFileSync(join(repositoryRoot, 'package-lock.json')))
  .digest('hex')
  .slice(0, 16);
/** npm's own content-addressed cache: safe to share between runs and processes. */
export const npmCache = join(repositoryRoot, '.scratch', `npm-cache-${lockKey}`);

export interface Tarballs {
  readonly plugin: string;
  readonly runtime: string;
}

function packInto(dir: string, out: string): string {
  // --ignore-scripts: the build already ran (npm test builds first); pack what is in dist/ now.
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
      cwd: dir,
      encoding: 'utf8',
    }),
  ) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack printed nothing in ${dir}`);
  return join(out, packed.filename);
}

/**
 * The plugin and the runtime package packed from the current build, once per test run: the first
 * test file to ask packs them into the run's folder (test/installed/packed-folder.ts) and the
 * others wait for its answer. Each install only reads the tarballs.
 */
export function packBoth(): Tarballs {
  const folder = inject('packedFolder');
  const answer = join(folder, 'tarballs.json');
  try {
    mkdirSync(join(folder, 'packing'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return awaitAnswer(answer);
  }
  let packed: Tarballs | { error: string };
  try {
    packed = { plugin: packInto(repositoryRoot, folder), runtime: packInto(runtimeDir, folder) };
  } catch (error) {
    packed = { error: String(error) };
  }
  writeFileSync(`${answer}.tmp`, JSON.stringify(packed));
  renameSync(`${answer}.tmp`, answer);
  if ('error' in packed) throw new Error(packed.error);
  return packed;
}

/** Blocks (the callers are synchronous) until the packing test file has answered, for two minutes at most. */
function awaitAnswer(answer: string): Tarballs {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 120_000;
  while (!existsSync(answer)) {
    if (Date.now() > deadline) throw new Error(`no packed tarballs after two minutes: ${answer} is missing`);
    Atomics.wait(sleeper, 0, 0, 100);
  }
  const packed = JSON.parse(readFileSync(answer, 'utf8')) as Tarballs | { error: string };
  if ('error' in packed) throw new Error(`packing failed in another test file: ${packed.error}`);
  return packed;
}

export interface ConsumerOptions {
  readonly tarballs: Tarballs;
  /** `module` or `commonjs`. */
  readonly type: 'module' | 'commonjs';
  /** devDependencies from the registry besides the plugin, e.g. `{ eslint: '9.34.0' }`. */
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  /** Files of the project, by relative path. */
  readonly files: Readonly<Record<string, string>>;
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const toRun = (result: SpawnSyncReturns<string>): Run => ({
  status: result.status,
  stdout: result.stdout,
  stderr: result.stderr,
});

/** The environment of a user's shell: no vitest or npm-script variables leaking in, our npm cache. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|TEST$|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_cache: npmCache,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

/** Runs a shell command line exactly as a user would type it in the project. */
export function sh(cwd: string, commandLine: string, extraEnv: NodeJS.ProcessEnv = {}): Run {
  return toRun(
    spawnSync('sh', ['-c', commandLine], {
      cwd,
      env: userEnv(extraEnv),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
}

/** Like `sh`, failing with the command's output when it exits non-zero. */
export function must(cwd: string, commandLine: string): Run {
  const run = sh(cwd, commandLine);
  if (run.status !== 0)
    throw new Error(`${commandLine} exited ${String(run.status)} in ${cwd}\n${run.stdout}\n${run.stderr}`);
  return run;
}

/** Writes the project and installs it (registry packages through the shared cache, offline when cached). */
export function makeConsumer(parent: string, name: string, options: ConsumerOptions): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name,
    version: '1.0.0',
    private: true,
    type: options.type,
    dependencies: { 'durable-write-runtime': `file:${options.tarballs.runtime}`, ...options.dependencies },
    devDependencies: { 'eslint-plugin-durable-write': `file:${options.tarballs.plugin}`, ...options.devDependencies },
    overrides: { 'durable-write-runtime': '$durable-write-runtime' },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [file, text] of Object.entries(options.files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  must(dir, 'npm install --prefer-offline --no-audit --no-fund --loglevel=error');
  return dir;
}

/** Text that must never reach a user: a crash, a Node stack trace, an internal path of ours. */
export const crashSigns =
  /\n\s+at .+:\d+:\d+\)?\n|ERR_MODULE_NOT_FOUND|Cannot find package|TypeError|ReferenceError|SyntaxError|dist\/(src|codemods)\//;
