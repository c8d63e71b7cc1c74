const repository = 'https://github.com/eslint-plugin-durable-write/eslint-plugin-durable-write';

/** @type {import('eslint-doc-generator').GenerateOptions} */
export default {
  configEmoji: [
    ['recommended', '✅'],
    ['strict', '🔒'],
  ],
  urlConfigs: `${repository}#use-it-in-your-project`,
  // Absolute, as `meta.docs.url` is (relative links break on the npm page), and on main: no release
  // tag exists until the first release, and the tarball ships the same page under docs/rules/.
  urlRuleDoc: `${repository}/blob/main/docs/rules/{name}.md`,
};
