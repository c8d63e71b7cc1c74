/**
 * The installed product in a TypeScript project with typed linting on ESLint 10 (see suite.ts): a
 * file of its own, as the slowest consumer (tsc and type-aware lint in most steps).
 */
import { installedSuite } from './suite.js';

installedSuite(['ts-eslint10']);
