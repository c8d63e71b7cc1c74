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

/** The module path of `name` as seen from the project first, then from this package. */
export function resolvePeer(name: string, cwd: string): string {
  try {
    return require.resolve(name, { paths: [cwd, here] });
  } catch {
    const hint = name in tested ? `: npm install -D -E ${name}@${tested[name as keyof typeof tested]}` : '';
    throw new UsageError(`durable-write needs ${name} for this command${hint}`);
  }
}

export const pathToImport = (file: string): string => new URL(`file://${file}`).href;
