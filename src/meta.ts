/** Package identity, read once from package.json so that docs links follow the released version. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { name: string; version: string; homepage?: string };

export const name: string = pkg.name;
export const version: string = pkg.version;

const repository = 'https://github.com/eslint-plugin-durable-write/eslint-plugin-durable-write';

/** Docs URL pinned to this release's tag, so that a link never describes a different rule version. */
export function docsUrl(ruleName: string): string {
  return `${repository}/blob/v${version}/docs/rules/${ruleName}.md`;
}
