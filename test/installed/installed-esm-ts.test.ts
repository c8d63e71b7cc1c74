/** The installed product in an ES module project and a TypeScript project, both on ESLint 10 (see suite.ts). */
import { installedSuite } from './suite.js';

installedSuite(['esm-eslint10', 'ts-eslint10']);
