/** @type {import('eslint-doc-generator').GenerateOptions} */
export default {
  configEmoji: [
    ['recommended', '✅'],
    ['strict', '🔒'],
  ],
  urlConfigs: 'https://github.com/eslint-plugin-durable-write/eslint-plugin-durable-write#use-it-in-your-project',
};
