/**
 * Which `@typescript-eslint/parser` parses TS files. The project's own comes first (it knows the
 * project's syntax), but a project may pin one that does not work with this ESLint (v6 under ESLint
 * 10: `scopeManager.addGlobals is not a function`); then the one installed next to durable-write
 * is used, with a warning. Each candidate is tried on a small TS program with the rule on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import plugin from '../../src/index.js';
import { UsageError } from './command.js';
import { here, require, tested } from './dependencies.js';

export interface ChosenParser {
  /** Module path to `require`. */
  readonly path: string;
  readonly version: string;
  /** Set when the project's parser was passed over. */
  readonly warning?: string;
}

const probe = `import { renameSync, writeFileSync } from 'node:fs';
export function save(file: string, data: string): void {
  writeFileSync(\`\${file}.tmp\`, data);
  renameSync(\`\${file}.tmp\`, file);
}
`;

function versionOf(modulePath: string): string {
  for (let dir = path.dirname(modulePath); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@typescript-eslint/parser') return pkg.version ?? '?';
  }
  return '?';
}

/** Undefined when the parser works with this ESLint and the rule; else what went wrong. */
function failureOf(modulePath: string): string | undefined {
  try {
    const parser = require(modulePath) as Linter.Parser;
    const messages = new Linter({ configType: 'flat' }).verify(
      probe,
      [{ files: ['**/*.ts'], languageOptions: { parser }, ...plugin.configs.strict }],
      { filename: 'probe.ts' },
    );
    const fatal = messages.find((m) => m.fatal);
    if (fatal) return fatal.message;
    if (messages.length !== 1) return `the rule saw ${messages.length} findings in a program with one`;
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

export function chooseTypeScriptParser(cwd: string): ChosenParser {
  const candidates: Array<{ path: string; owner: string }> = [];
  for (const [from, owner] of [
    [cwd, "the project's"],
    [here, "durable-write's"],
  ] as const) {
    try {
      const found = fs.realpathSync(require.resolve('@typescript-eslint/parser', { paths: [from] }));
      if (!candidates.some((c) => c.path === found)) candidates.push({ path: found, owner });
    } catch {
      // Not installed there.
    }
  }
  const install = `npm install -D -E @typescript-eslint/parser@${tested['@typescript-eslint/parser']}`;
  if (candidates.length === 0) throw new UsageError(`TypeScript files need @typescript-eslint/parser: ${install}`);
  const failures: string[] = [];
  for (const { path: candidate, owner } of candidates) {
    const failure = failureOf(candidate);
    const version = versionOf(candidate);
    if (failure === undefined) {
      return {
        path: candidate,
        version,
        ...(failures.length
          ? { warning: `${failures.join('; ')}; using ${owner} @typescript-eslint/parser ${version} instead` }
          : {}),
      };
    }
    failures.push(
      `${owner} @typescript-eslint/parser ${version} does not work with ESLint ${Linter.version} (${failure})`,
    );
  }
  throw new UsageError(`${failures.join('; ')}; TypeScript files need one that does: ${install}`);
}
