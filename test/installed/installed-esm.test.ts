/** The installed product in an ES module project on ESLint 10 (see suite.ts). */
import { installedSuite } from './suite.js';

installedSuite(['esm-eslint10']);
