// Downloads what the checks after the tests need from the registry: the lint corpus (check:corpus),
// the lowest ESLint 9 (check:eslint9) and the oldest TypeScript (check:vendor-typescript). `.ci/run`
// runs it in the background, so that these downloads overlap with work on the CPU. Idempotent.
import { ensureCorpus } from './lib/corpus.js';
import { installAside, lowestEslint9, oldestTypescript } from './lib/aside.js';

ensureCorpus();
for (const tool of [lowestEslint9, oldestTypescript]) installAside(tool);
