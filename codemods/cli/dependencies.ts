/** Optional peer dependencies: where the CLI finds them, and the install hint when it cannot. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './command.js';

export const require = createRequire(import.meta.url);
/** The package's own directory, to resolve the peers installed next to it. */
export const here = path.dirname(fileURLToPath(import.meta.url));

/** The versions this package is tested with, for the install hint. */
export const tested = { jscodeshift: '17.4.0', 'ts-morph': '28.0.0', '@typescript-eslint/parser': '8.72.0' } as const;

/** The package a specifier names: `jscodeshift` for `jscodeshift/src/Runner.js`, `@scope/name` for its files. */
export const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** The command that installs `name`, at the version this package is tested with when it is a known peer. */
export function installCommand(name: string): string {
  const pkg = packageOf(name);
  return pkg in tested ? `npm install -D -E ${pkg}@${tested[pkg as keyof typeof tested]}` : `npm install -D ${pkg}`;
}

/** The module path of `name` (a package or a file in one) as seen from the project first, then from this package. */
export function resolvePeer(name: string, cwd: string): string {
  try {
    return require.resolve(name, { paths: [cwd, here] });
  } catch {
    throw new UsageError(`durable-write needs ${packageOf(name)} for this command: ${installCommand(name)}`);
  }
}

export const pathToImport = (file: string): string => new URL(`file://${file}`).href;
