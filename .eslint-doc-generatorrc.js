import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));
const repository = 'https://github.com/eslint-plugin-durable-write/eslint-plugin-durable-write';

/** @type {import('eslint-doc-generator').GenerateOptions} */
export default {
  configEmoji: [
    ['recommended', '✅'],
    ['strict', '🔒'],
  ],
  urlConfigs: `${repository}#use-it-in-your-project`,
  // Absolute and pinned to the release tag, as `meta.docs.url` is: relative links break on the npm page.
  urlRuleDoc: `${repository}/blob/v${version}/docs/rules/{name}.md`,
};
