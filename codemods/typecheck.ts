/**
 * `durable-write fix --typecheck` with the project's own TypeScript: a rewrite is judged by the
 * compiler that will build it (a project on TypeScript 5.3 must not hear about TypeScript 6 errors,
 * nor miss its own). The changed files are read from memory; nothing is written.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

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
export function diagnosticsWith(ts: TypeScript, cwd: string, tsconfig: string, changes: ReadonlyMap<string, string>): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) throw new Error(`--typecheck: cannot read ${tsconfig}`);
  const host = ts.createCompilerHost(parsed.options);
  const changed = (file: string): string | undefined => changes.get(path.resolve(cwd, file));
  const { readFile, fileExists, getSourceFile } = host;
  host.readFile = (file) => changed(file) ?? readFile.call(host, file);
  host.fileExists = (file) => changed(file) !== undefined || fileExists.call(host, file);
  // Module resolution looks for the directory first: a vendored file may go into one not made yet.
  const { directoryExists } = host;
  const newDirectories = new Set([...changes.keys()].flatMap((f) => path.dirname(f).split(path.sep).map((_, i, parts) => parts.slice(0, i + 1).join(path.sep) || path.sep)));
  host.directoryExists = (dir) => newDirectories.has(path.resolve(cwd, dir)) || (directoryExists?.call(host, dir) ?? ts.sys.directoryExists(dir));
  host.getSourceFile = (file, language, onError, create) => {
    const text = changed(file);
    return text === undefined ? getSourceFile.call(host, file, language, onError, create) : ts.createSourceFile(file, text, language);
  };
  const added = [...changes.keys()].filter((f) => /\.[cm]?tsx?$/.test(f) && !parsed.fileNames.includes(f));
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...added], options: parsed.options, host });
  return ts.getPreEmitDiagnostics(program).map((d) => `${path.relative(cwd, d.file?.fileName ?? tsconfig)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
