// Tools installed aside into .scratch/<dir> (never committed) at one exact version, for the checks
// that run the build on an older release than the repository's own. `.ci/run` installs them
// (scripts/fetch-check-inputs.js) while the tests run; a check run alone installs its own.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The lowest ESLint 9 of the plugin's peer range (check:eslint9). */
export const lowestEslint9 = { name: 'eslint', version: '9.34.0', dir: 'eslint-9', type: 'module' };
/** The oldest TypeScript the vendored helper claims (check:vendor-typescript). */
export const oldestTypescript = { name: 'typescript', version: '5.0.4', dir: 'typescript-5.0' };

/** Installs `tool` into .scratch/<tool.dir> unless it is there already; returns that folder. */
export function installAside(tool) {
  const dir = path.join(root, '.scratch', tool.dir);
  if (!fs.existsSync(path.join(dir, 'node_modules', tool.name, 'package.json'))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, type: tool.type }));
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', '-E', `${tool.name}@${tool.version}`],
      { cwd: dir, stdio: 'inherit' },
    );
  }
  return dir;
}
