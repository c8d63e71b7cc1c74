/**
 * What npm publishes, checked by what it does: the packed plugin's entry points and bin import only
 * files that are in the tarball, packages it declares, and Node builtins; every doc a shipped file links
 * to is shipped; and the bin runs from a project that installed both tarballs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, normalize, posix } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  crashSigns,
  makeConsumer,
  packBoth,
  repositoryRoot as root,
  sh,
  type Tarballs,
} from '../installed/consumer.js';

interface Packed {
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

/** The files `npm pack` would publish from `dir`, listed once per run (the build does not change meanwhile). */
const packedFiles = new Map<string, string[]>();
const pack = (dir: string): string[] => {
  const known = packedFiles.get(dir);
  if (known) return known;
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' }),
  ) as Packed[];
  const files = (packed?.files ?? []).map((f) => f.path);
  packedFiles.set(dir, files);
  return files;
};
const manifest = (dir: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;

/** Entry files a user reaches: the bin and every `exports` target. */
function entryPoints(pkg: Record<string, unknown>): string[] {
  const targets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) collect(inner);
  };
  collect(pkg.bin);
  collect(pkg.exports);
  return targets.filter((t) => t.endsWith('.js')).map((t) => posix.normalize(t));
}

/** Every specifier the file graph from `entries` imports (static and literal dynamic), by importing file. */
async function importGraph(
  files: ReadonlySet<string>,
  entries: readonly string[],
  readText: (file: string) => string,
): Promise<{ missing: string[]; bare: Set<string> }> {
  await init;
  const missing: string[] = [];
  const bare = new Set<string>();
  const seen = new Set<string>();
  const queue = [...entries];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (!files.has(file)) {
      missing.push(file);
      continue;
    }
    const [imports] = parse(readText(file), file);
    for (const { n: specifier } of imports) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) queue.push(posix.normalize(posix.join(posix.dirname(file), specifier)));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier))
        bare.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  }
  return { missing, bare };
}

/** Relative links of a shipped markdown file that point at files not shipped, as `file -> target`. */
function deadDocLinks(files: ReadonlySet<string>, readText: (file: string) => string): string[] {
  const dead: string[] = [];
  for (const file of files) {
    if (!file.endsWith('.md')) continue;
    for (const [, target] of readText(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      const resolved = posix.normalize(posix.join(posix.dirname(file), target!));
      if (!files.has(resolved)) dead.push(`${file} -> ${target!}`);
    }
  }
  return dead;
}

describe('published packages', () => {
  it('the plugin: what its bin and exports import is in the tarball or declared; no source maps; no drafts', async () => {
    const files = new Set(pack(root));
    const pkg = manifest(root);
    const { missing, bare } = await importGraph(files, entryPoints(pkg), (file) =>
      readFileSync(join(root, file), 'utf8'),
    );
    expect(missing).toEqual([]);
    const declared = new Set(Object.keys({ ...(pkg.dependencies as object), ...(pkg.peerDependencies as object) }));
    expect([...bare].filter((name) => !declared.has(name))).toEqual([]);
    expect(bare).toContain('durable-write-runtime');
    expect(files).toContain('LICENSE');
    expect(files).not.toContain('docs/evaluation.md');
    expect([...files].filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('every doc a shipped file links to is shipped; absolute links to this repository name files that exist on main', () => {
    const files = new Set(pack(root));
    expect(deadDocLinks(files, (file) => readFileSync(join(root, file), 'utf8'))).toEqual([]);
    const texts = [...files].filter((f) => /\.(md|js)$/.test(f)).map((f) => readFileSync(join(root, f), 'utf8'));
    const linked = texts.flatMap((text) => [
      ...text.matchAll(
        /https:\/\/github\.com\/eslint-plugin-durable-write\/eslint-plugin-durable-write\/(?:blob|tree)\/([^/\s)]+)\/([^#\s)`'"]+)/g,
      ),
    ]);
    expect(linked.length).toBeGreaterThan(0);
    for (const [url, ref, path] of linked) {
      expect(ref, url).toBe('main');
      expect(existsSync(join(root, normalize(path!))), url).toBe(true);
    }
  });

  describe('installed from both tarballs', () => {
    let work = '';
    let tarballs: Tarballs;
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'durable-write-packaging-'));
      tarballs = packBoth();
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('npx durable-write --help and --version run', () => {
      const dir = makeConsumer(work, 'bin-only', { tarballs, type: 'module', files: {} });
      const help = sh(dir, 'npx durable-write --help');
      expect(help.stderr).not.toMatch(crashSigns);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: durable-write <command>/);
      const version = sh(dir, 'npx durable-write --version');
      expect(version).toMatchObject({ status: 0, stdout: `${String(manifest(root).version)}\n` });
    });
  });

  it('the plugin manifest: repository, homepage, bugs, sideEffects, caret ranges for runtime dependencies', () => {
    const pkg = manifest(root);
    expect(pkg).toMatchObject({
      repository: { type: 'git' },
      homepage: expect.stringMatching(/^https:/),
      bugs: { url: expect.stringMatching(/^https:/) },
      sideEffects: false,
    });
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
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/write.js',
        // The CommonJS build, for require() on Node.js < 20.19.
        'dist/cjs/package.json',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
      ]),
    );
    expect(
      files.filter(
        (f) =>
          !/^dist\/(cjs\/)?[\w-]+\.(js|d\.ts)$/.test(f) &&
          !['LICENSE', 'README.md', 'package.json', 'dist/cjs/package.json'].includes(f),
      ),
    ).toEqual([]);
  });

  it('CommonJS code can require the runtime package, and the plugin re-exports it at ./durable', () => {
    const script =
      "const r = require('durable-write-runtime'); const p = require('eslint-plugin-durable-write/durable'); console.log(typeof r.writeFileDurable, r.writeFileDurable === p.writeFileDurable)";
    expect(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim()).toBe(
      'function true',
    );
  });
});
