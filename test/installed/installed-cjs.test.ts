/** The installed product in CommonJS projects, on ESLint 10 and on the lowest supported 9.x (see suite.ts). */
import { installedSuite } from './suite.js';

installedSuite(['cjs-eslint10', 'cjs-eslint9']);
