/**
 * What npm would publish, read from `npm pack --dry-run --json` after the build: the plugin and the
 * runtime package it re-exports. A registry page and a production install see exactly this.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Packed {
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

const pack = (dir: string): string[] => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' })) as Packed[];
  return (packed?.files ?? []).map((f) => f.path);
};
const manifest = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('published packages', () => {
  it('the plugin: LICENSE, docs without drafts, no source maps, no second copy of the helper', () => {
    const files = pack(root);
    expect(files).toContain('LICENSE');
    expect(files).toContain('dist/src/runtime.js');
    expect(files).toContain('docs/rules/no-unsynced-rename.md');
    expect(files).not.toContain('docs/evaluation.md');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/src/durable/'))).toEqual([]);
  });

  it('the plugin manifest: repository, homepage, bugs, sideEffects, caret ranges for runtime dependencies', () => {
    const pkg = manifest(root);
    expect(pkg).toMatchObject({ repository: { type: 'git' }, homepage: expect.stringMatching(/^https:/), bugs: { url: expect.stringMatching(/^https:/) }, sideEffects: false });
    for (const range of Object.values(pkg.dependencies as Record<string, string>)) expect(range).toMatch(/^\^\d/);
    const runtime = manifest(join(root, 'packages/durable-write-runtime'));
    expect((pkg.dependencies as Record<string, string>)['durable-write-runtime']).toBe(`^${String(runtime.version)}`);
  });

  it('the runtime package: zero dependencies, its built helper and types, nothing else', () => {
    const dir = join(root, 'packages/durable-write-runtime');
    const pkg = manifest(dir);
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.peerDependencies).toBeUndefined();
    const files = pack(dir);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/write.js']));
    expect(files.filter((f) => !/^dist\/[\w-]+\.(js|d\.ts)$/.test(f) && !['LICENSE', 'README.md', 'package.json'].includes(f))).toEqual([]);
  });

  it('CommonJS code can require the runtime package, and the plugin re-exports it at ./durable', () => {
    const script = "const r = require('durable-write-runtime'); const p = require('eslint-plugin-durable-write/durable'); console.log(typeof r.writeFileDurable, r.writeFileDurable === p.writeFileDurable)";
    expect(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim()).toBe('function true');
  });
});
