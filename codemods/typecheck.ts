/**
 * `durable-write fix --typecheck` with the project's own TypeScript: a rewrite is judged by the
 * compiler that will build it (a project on TypeScript 5.3 must not hear about TypeScript 6 errors,
 * nor miss its own). The changed files are read from memory; nothing is written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { scratchCopy } from './scratch-copy.js';

type TypeScript = typeof import('typescript');

/** The project's `typescript` package, resolved from `cwd`, or undefined when it has none. */
export function projectTypeScript(cwd: string): TypeScript | undefined {
  try {
    return createRequire(path.join(cwd, 'package.json'))('typescript') as TypeScript;
  } catch {
    return undefined;
  }
}

/** Diagnostics of the project at `tsconfig`, as `file: TSnnnn message`, with `changes` applied in memory. */
export function diagnosticsWith(
  ts: TypeScript,
  cwd: string,
  tsconfig: string,
  changes: ReadonlyMap<string, string>,
): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error(`--typecheck: cannot read ${tsconfig}`);
  const host = ts.createCompilerHost(parsed.options);
  const changed = (file: string): string | undefined => changes.get(path.resolve(cwd, file));
  const { readFile, fileExists, getSourceFile } = host;
  host.readFile = (file) => changed(file) ?? readFile.call(host, file);
  host.fileExists = (file) => changed(file) !== undefined || fileExists.call(host, file);
  // Module resolution looks for the directory first: a vendored file may go into one not made yet.
  const { directoryExists } = host;
  const newDirectories = new Set(
    [...changes.keys()].flatMap((f) =>
      path
        .dirname(f)
        .split(path.sep)
        .map((_, i, parts) => parts.slice(0, i + 1).join(path.sep) || path.sep),
    ),
  );
  host.directoryExists = (dir) =>
    newDirectories.has(path.resolve(cwd, dir)) || (directoryExists?.call(host, dir) ?? ts.sys.directoryExists(dir));
  host.getSourceFile = (file, language, onError, create) => {
    const text = changed(file);
    return text === undefined
      ? getSourceFile.call(host, file, language, onError, create)
      : ts.createSourceFile(file, text, language);
  };
  const added = [...changes.keys()].filter((f) => /\.[cm]?tsx?$/.test(f) && !parsed.fileNames.includes(f));
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...added], options: parsed.options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${path.relative(cwd, d.file?.fileName ?? tsconfig)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

/**
 * Does the project's TypeScript have the JS API `diagnosticsWith` needs? TypeScript 7 (the native
 * compiler) has none: its `typescript` module exports only its version.
 */
export const hasCompilerApi = (ts: TypeScript): boolean =>
  typeof (ts as Partial<TypeScript>).getParsedCommandLineOfConfigFile === 'function';

/**
 * The same diagnostics as `diagnosticsWith`, from the project's own `tsc --noEmit`: for a compiler
 * without a JS API. `tsc` reads files from disk only, so `changes` go into a scratch copy of `cwd`
 * (`scratch-copy.ts`) and the project itself is never written.
 */
export function diagnosticsByTsc(cwd: string, tsconfig: string, changes: ReadonlyMap<string, string>): string[] {
  const root = path.resolve(cwd);
  const outside = [tsconfig, ...changes.keys()].find((file) =>
    path.relative(root, path.resolve(file)).startsWith('..'),
  );
  if (outside)
    throw new Error(
      `--typecheck: ${outside} is outside ${root}, and tsc can only check a copy of ${root} with the rewrite applied`,
    );
  const requireHere = createRequire(path.join(root, 'package.json'));
  const manifest = requireHere.resolve('typescript/package.json');
  const { bin } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { bin?: string | { tsc?: string } };
  const relativeBin = typeof bin === 'string' ? bin : bin?.tsc;
  if (!relativeBin) throw new Error(`--typecheck: the project's typescript (${manifest}) has no tsc bin`);
  const tsc = path.resolve(path.dirname(manifest), relativeBin);
  if (changes.size === 0) return runTsc(tsc, root, path.relative(root, tsconfig), root);
  const copy = scratchCopy(root, changes, 'check it with tsc');
  try {
    return runTsc(tsc, copy.dir, path.relative(root, tsconfig), root);
  } finally {
    copy.remove();
  }
}

/** `tsc --noEmit -p tsconfig` in `dir`, its diagnostics as `file: TSnnnn message` (paths as if run in `shownAs`). */
function runTsc(tsc: string, dir: string, tsconfig: string, shownAs: string): string[] {
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', tsconfig], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  // tsc exits 0 when clean, 1 or 2 with diagnostics; anything else (a crash, a signal) is no answer.
  if (result.error || result.status === null || result.status > 2) {
    throw new Error(
      `--typecheck: ${tsc} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}): ${result.stderr.trim().slice(0, 500)}`,
    );
  }
  const diagnostics: string[] = [];
  for (const line of result.stdout.split(dir).join(shownAs).split(/\r?\n/)) {
    const located = /^(.+?)\(\d+,\d+\): error (TS\d+): (.*)$/.exec(line);
    const global = /^error (TS\d+): (.*)$/.exec(line);
    if (located) diagnostics.push(`${located[1]}: ${located[2]} ${located[3]}`);
    else if (global) diagnostics.push(`${tsconfig}: ${global[1]} ${global[2]}`);
    else if (/^\s/.test(line) && diagnostics.length) diagnostics[diagnostics.length - 1] += `\n${line.trim()}`;
  }
  return diagnostics;
}
