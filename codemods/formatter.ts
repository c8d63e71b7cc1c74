/**
 * `durable-write fix --write --format-code`: when the project configures Prettier or Biome, run the
 * project's own formatter on the files the fix changed, so that the pull request passes its format
 * check. The formatter is the project's installed binary; nothing is installed or guessed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Formatter {
  readonly name: 'prettier' | 'biome';
  /** The project's binary. */
  readonly bin: string;
  readonly args: (files: readonly string[]) => string[];
}

const prettierConfigs = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.json5',
  '.prettierrc.js',
  '.prettierrc.cjs',
  '.prettierrc.mjs',
  '.prettierrc.toml',
  'prettier.config.js',
  'prettier.config.cjs',
  'prettier.config.mjs',
];

/** Does the project at `root` configure Prettier (a config file or a `prettier` key in package.json)? */
export function configuresPrettier(root: string): boolean {
  let manifest: { prettier?: unknown } = {};
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { prettier?: unknown };
  } catch {
    // No manifest: only config files can say.
  }
  return manifest.prettier !== undefined || prettierConfigs.some((name) => fs.existsSync(path.join(root, name)));
}

export function configuresBiome(root: string): boolean {
  return ['biome.json', 'biome.jsonc'].some((name) => fs.existsSync(path.join(root, name)));
}

/** The formatter the project at `root` configures and has installed, or a sentence saying why none runs. */
export function projectFormatter(root: string): Formatter | string {
  const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);
  if (configuresBiome(root)) {
    return fs.existsSync(bin('biome'))
      ? { name: 'biome', bin: bin('biome'), args: (files) => ['format', '--write', ...files] }
      : 'Biome is configured but not installed (npm ci first)';
  }
  if (configuresPrettier(root)) {
    return fs.existsSync(bin('prettier'))
      ? { name: 'prettier', bin: bin('prettier'), args: (files) => ['--write', ...files] }
      : 'Prettier is configured but not installed (npm ci first)';
  }
  return 'the project configures neither Prettier nor Biome';
}

/** Runs `formatter` on `files` (absolute paths) from `root`. */
export function formatFiles(formatter: Formatter, root: string, files: readonly string[]): void {
  if (files.length === 0) return;
  execFileSync(formatter.bin, formatter.args(files.map((f) => path.relative(root, f))), {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}
