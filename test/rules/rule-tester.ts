/**
 * typescript-eslint's RuleTester wired to vitest, which has no globals by default. Rule test files
 * import it from here rather than from a setup file every test file would load: the import costs
 * about a second (it loads TypeScript), and most test files never use it.
 */
import { RuleTester as TypescriptEslintRuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

TypescriptEslintRuleTester.afterAll = afterAll;
TypescriptEslintRuleTester.describe = describe;
TypescriptEslintRuleTester.it = it;
TypescriptEslintRuleTester.itOnly = it.only;

// Re-exported from the package: with `export { RuleTester }` of the imported binding, vitest 4's
// module transform left that binding undefined where the statics above are set.
export { RuleTester } from '@typescript-eslint/rule-tester';
