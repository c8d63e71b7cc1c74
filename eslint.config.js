// Lints the plugin's own code. Examples and test fixtures are deliberately buggy code
// and are linted by `npm run demo` and the tests instead.
import js from '@eslint/js';
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'packages/*/dist/',
      'node_modules/',
      '.scratch/',
      'coverage/',
      'examples/',
      '**/__testfixtures__/',
      'test/**/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['rules/**/*.ts', 'src/**/*.ts'],
    ...eslintPlugin.configs.recommended,
  },
  {
    // Rule tests take RuleTester from test/rules/rule-tester.ts, which wires it to vitest.
    files: ['test/**/*.ts'],
    ignores: ['test/rules/rule-tester.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@typescript-eslint/rule-tester',
              message: 'Import RuleTester from test/rules/rule-tester.ts: it is wired to vitest there.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
