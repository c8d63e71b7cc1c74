/**
 * `fix --write --vendor` in a package whose `files` whitelist would leave the vendored copy out of
 * the tarball: the copy's path joins `files`, `npm pack --dry-run` lists it, and the packed package
 * runs the fixed code from an unpacked tarball with nothing installed. A TypeScript copy ships as
 * its build output, which `files` gets beside the listed output of the fixed source (steno 4.0.2).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/codemods/cli.js');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'durable-write-vendor-pack-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function publishedPackage(name: string, manifest: Record<string, unknown>): string {
  const dir = join(work, name);
  cpSync(join(root, 'test/codemods/fixtures/programs'), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', ...manifest }, null, 2)}\n`);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

const packed = (dir: string): string[] =>
  (
    JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' }),
    ) as Array<{ files: Array<{ path: string }> }>
  )[0]!.files.map((f) => f.path);

describe('fix --write --vendor in a published package', () => {
  it('a `files` whitelist gets the vendored copy, and the packed package runs the fixed code', () => {
    const dir = publishedPackage('listed', { files: ['sync.cjs', 'callback.cjs', 'promise.mjs'] });
    expect(packed(dir)).not.toContain('lib/durable-write.cjs');
    const result = spawnSync(
      process.execPath,
      [cli, 'fix', '--write', '--vendor', 'lib/durable-write.cjs', 'sync.cjs'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      'package.json: added lib/durable-write.cjs to `files` (npm pack --dry-run now packs it)',
    );
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).files).toEqual([
      'sync.cjs',
      'callback.cjs',
      'promise.mjs',
      'lib/durable-write.cjs',
    ]);
    expect(packed(dir)).toContain('lib/durable-write.cjs');
    // What a consumer gets: the tarball unpacked, nothing installed, the fixed code run.
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], {
      cwd: dir,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .at(-1)!;
    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', consumer]);
    const out = join(work, 'out');
    mkdirSync(out);
    execFileSync(process.execPath, [join(consumer, 'package', 'sync.cjs'), out]);
    expect(readdirSync(out).length).toBeGreaterThan(0);
  });

  it('a package without `files` already ships the copy: the manifest is left alone', () => {
    const dir = publishedPackage('unlisted', {});
    const before = readFileSync(join(dir, 'package.json'), 'utf8');
    const result = spawnSync(
      process.execPath,
      [cli, 'fix', '--write', '--vendor', 'lib/durable-write.cjs', 'sync.cjs'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('`files`');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(before);
    expect(packed(dir)).toContain('lib/durable-write.cjs');
  });

  it('a TypeScript package listing its build output file by file gets the output of the copy listed too', () => {
    const dir = join(work, 'typescript');
    mkdirSync(join(dir, 'src'), { recursive: true });
    const files = ['lib/index.js', 'lib/index.d.ts'];
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'typed', version: '1.0.0', type: 'module', main: 'lib/index.js', files }, null, 2)}\n`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          rootDir: 'src',
          outDir: 'lib',
          module: 'NodeNext',
          target: 'ES2022',
          declaration: true,
          strict: true,
          skipLibCheck: true,
          typeRoots: [join(root, 'node_modules/@types')],
          types: ['node'],
        },
      }),
    );
    writeFileSync(
      join(dir, 'src/index.ts'),
      "import { renameSync, writeFileSync } from 'node:fs';\n\nexport function save(file: string, data: string): void {\n  writeFileSync(`${file}.tmp`, data);\n  renameSync(`${file}.tmp`, file);\n}\n",
    );
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'init');
    const result = spawnSync(process.execPath, [cli, 'fix', '--write', '--vendor', 'src/durable-write.ts', 'src'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('package.json: added lib/durable-write.js, lib/durable-write.d.ts to `files`');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).files).toEqual([
      ...files,
      'lib/durable-write.js',
      'lib/durable-write.d.ts',
    ]);
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: dir,
    });
    expect(packed(dir)).toEqual(expect.arrayContaining(['lib/durable-write.js', 'lib/index.js']));
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], {
      cwd: dir,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .at(-1)!;
    const consumer = join(work, 'typed-consumer');
    mkdirSync(consumer);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', consumer]);
    const target = join(consumer, 'saved.txt');
    execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `import { save } from ${JSON.stringify(join(consumer, 'package/lib/index.js'))}; save(${JSON.stringify(target)}, 'typed');`,
    ]);
    expect(readFileSync(target, 'utf8')).toBe('typed');
  });
});
