/**
 * The scratch copy that `--verify-command` and `--typecheck` (TypeScript 7) run in: a monorepo's
 * workspace link resolves to the copy's own (rewritten) package, installed packages to the
 * originals, `.git` stays behind, and nothing is left after `remove()`.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchCopy } from '../../codemods/scratch-copy.js';

let repo: string;
beforeAll(() => {
  repo = realpathSync(mkdtempSync(join(tmpdir(), 'durable-write-scratch-test-')));
  mkdirSync(join(repo, '.git'));
  writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  for (const pkg of ['a', 'b']) {
    mkdirSync(join(repo, 'packages', pkg), { recursive: true });
    writeFileSync(join(repo, 'packages', pkg, 'index.js'), `module.exports = '${pkg} original';\n`);
  }
  // npm workspaces: node_modules/<name> -> ../packages/<name>; a scoped one; an installed package.
  mkdirSync(join(repo, 'node_modules', '@scope'), { recursive: true });
  symlinkSync('../packages/a', join(repo, 'node_modules', 'a'));
  symlinkSync('../../packages/b', join(repo, 'node_modules', '@scope', 'b'));
  mkdirSync(join(repo, 'node_modules', 'installed'));
  writeFileSync(join(repo, 'node_modules', 'installed', 'index.js'), 'module.exports = 1;\n');
  // A package's own node_modules, deeper down.
  mkdirSync(join(repo, 'packages', 'b', 'node_modules', 'nested'), { recursive: true });
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('scratchCopy', () => {
  it('applies the changes, keeps workspace links inside the copy, links installed packages, leaves .git out', () => {
    const changed = join(repo, 'packages', 'a', 'index.js');
    const added = join(repo, 'packages', 'a', 'lib', 'durable-write.js');
    const copy = scratchCopy(
      repo,
      new Map([
        [changed, "module.exports = 'a rewritten';\n"],
        [added, '// vendored\n'],
      ]),
      'test it',
    );
    try {
      expect(readFileSync(join(copy.dir, 'node_modules', 'a', 'index.js'), 'utf8')).toBe(
        "module.exports = 'a rewritten';\n",
      );
      expect(realpathSync(join(copy.dir, 'node_modules', '@scope', 'b'))).toBe(
        realpathSync(copy.at(join(repo, 'packages', 'b'))),
      );
      expect(realpathSync(join(copy.dir, 'node_modules', 'installed'))).toBe(join(repo, 'node_modules', 'installed'));
      expect(realpathSync(join(copy.dir, 'packages', 'b', 'node_modules', 'nested'))).toBe(
        join(repo, 'packages', 'b', 'node_modules', 'nested'),
      );
      expect(readFileSync(copy.at(added), 'utf8')).toBe('// vendored\n');
      expect(existsSync(join(copy.dir, '.git'))).toBe(false);
      expect(readFileSync(changed, 'utf8')).toBe("module.exports = 'a original';\n");
    } finally {
      copy.remove();
    }
    expect(existsSync(copy.dir)).toBe(false);
    expect(existsSync(join(repo, 'node_modules', 'installed', 'index.js'))).toBe(true);
  });

  it('refuses a change outside the project', () => {
    expect(() =>
      scratchCopy(join(repo, 'packages', 'a'), new Map([[join(repo, 'packages', 'b', 'index.js'), '']]), 'test it'),
    ).toThrow(/is outside .*packages\/a, the project copied to test it/);
  });
});
