/** Package identity, read once from package.json so that docs links follow the released version. */
import { readFileSync } from 'node:fs';

/**
 * The package root is two levels up from the built `dist/src/meta.js` and one level up from the
 * source `src/meta.ts` (tests run the sources): try the nearest first.
 */
function readPackageJson(): { name: string; version: string } {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'eslint-plugin-durable-write' && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch {
      // Not this level; try the next one.
    }
  }
  throw new Error('eslint-plugin-durable-write: cannot find its own package.json');
}

const pkg = readPackageJson();

export const name: string = pkg.name;
export const version: string = pkg.version;

export const repository = 'https://github.com/eslint-plugin-durable-write/eslint-plugin-durable-write';

/**
 * Docs URL on the default branch: a release tag exists only once the release is cut, and a link
 * from an editor or the registry page must resolve now. The same page ships in the tarball
 * (`docs/rules/`), so an installed version always has its own copy.
 */
export function docsUrl(ruleName: string): string {
  return `${repository}/blob/main/docs/rules/${ruleName}.md`;
}
