/**
 * Every tracer command the README and docs/trace.md show, taken from their text and run exactly as
 * written in a fresh CommonJS project that installed the packed tarballs, as a user would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConsumer, packBoth, sh, type Run } from '../installed/consumer.js';
import { repo } from './support.js';

const rootManifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

/** Shell lines of the ```sh blocks and the CI example's folded `run: >` of a markdown file. */
function documentedCommands(file: string): string[] {
  const text = readFileSync(join(repo, file), 'utf8');
  const commands: string[] = [];
  for (const [, block] of text.matchAll(/```sh\n([\s\S]*?)```/g)) commands.push(...block!.trim().split('\n'));
  for (const [, folded] of text.matchAll(/- run: >\n((?: {4}.+\n)+)/g))
    commands.push(
      folded!
        .trim()
        .split('\n')
        .map((line) => line.trim())
        .join(' '),
    );
  commands.push(...[...text.matchAll(/Without the CLI: `([^`]+)`/g)].map(([, command]) => command!));
  return commands.filter((command) => /durable-write\/trace|durable-write trace/.test(command));
}

const commands = [...new Set([...documentedCommands('README.md'), ...documentedCommands('docs/trace.md')])];

/** What the project's files do: one unsynced rename each, at these lines. */
const files = {
  'app.js':
    "const fs = require('node:fs');\nfs.writeFileSync('app.json.tmp', '{}');\nfs.renameSync('app.json.tmp', 'app.json');\nconsole.log('saved');\n",
  'app.mjs':
    "import fs from 'node:fs';\nfs.writeFileSync('esm.json.tmp', '{}');\nfs.renameSync('esm.json.tmp', 'esm.json');\nconsole.log('saved');\n",
  'scripts/build.js':
    "const fs = require('node:fs');\nfs.writeFileSync('build.json.tmp', '{}');\nfs.renameSync('build.json.tmp', 'build.json');\n",
  'test/save.test.mjs': [
    "import fs from 'node:fs';",
    "import { test } from 'vitest';",
    "test('saves', () => {",
    "  fs.writeFileSync('saved.json.tmp', '{}');",
    "  fs.renameSync('saved.json.tmp', 'saved.json');",
    "  fs.mkdirSync('test/fixtures', { recursive: true });",
    "  fs.writeFileSync('test/fixtures/a.json', '{}');",
    "  fs.renameSync('test/fixtures/a.json', 'test/fixtures/b.json');",
    '});',
    '',
  ].join('\n'),
};

/** The line each command must report, and the exit code a user sees. */
function expected(command: string): { sites: string[]; absent?: string[]; status: number; output?: string } {
  const output = /--output (\S+)/.exec(command)?.[1];
  const withOutput = output ? { output } : {};
  if (/(^| )node (--require|--import) \S+ .*app\.m?js$/.test(command))
    // Preloaded by hand: a summary on stderr, and the program's own exit code.
    return { sites: [command.endsWith('.mjs') ? 'app.mjs:3' : 'app.js:3'], status: 0 };
  if (command.startsWith('NODE_OPTIONS=')) return { sites: ['test/save.test.mjs:5'], status: 0 };
  if (command.includes('-- node scripts/build.js')) return { sites: ['scripts/build.js:3'], status: 1, ...withOutput };
  if (command.includes("--ignore 'test/fixtures/**'"))
    return { sites: ['test/save.test.mjs:5'], absent: ['test/save.test.mjs:8'], status: 1, ...withOutput };
  if (/-- (npm test|npx vitest run)/.test(command))
    return { sites: ['test/save.test.mjs:5', 'test/save.test.mjs:8'], status: 1, ...withOutput };
  throw new Error(`a documented command this test does not know: ${command}`);
}

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
}

/** `file:line` of every location of a SARIF log (which must parse). */
function sarifSites(text: string): string {
  const log = JSON.parse(text) as {
    runs: { results: { locations: SarifLocation[]; relatedLocations: SarifLocation[] }[] }[];
  };
  return log.runs
    .flatMap((run) => run.results)
    .flatMap((result) => [...result.locations, ...result.relatedLocations])
    .map(({ physicalLocation: { artifactLocation, region } }) => `${artifactLocation.uri}:${region.startLine}`)
    .join('\n');
}

describe('trace: the documented commands, as written, on the installed tarballs', { shuffle: false }, () => {
  let work = '';
  let dir = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'durable-write-trace-docs-'));
    const tarballs = packBoth();
    dir = makeConsumer(work, 'traced', {
      tarballs,
      type: 'commonjs',
      devDependencies: { vitest: rootManifest.devDependencies.vitest! },
      files,
    });
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, scripts: { test: 'vitest run' } }));
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('finds the commands in the docs (the extraction itself works)', () => {
    expect(commands).toEqual(
      expect.arrayContaining([
        'npx durable-write trace -- npm test',
        'node --require eslint-plugin-durable-write/trace app.js',
        'node --import eslint-plugin-durable-write/trace app.mjs',
      ]),
    );
    expect(commands.some((command) => command.includes('--ignore'))).toBe(true);
    expect(commands.some((command) => command.includes('--import') && !command.endsWith('.mjs'))).toBe(false);
  });

  // The README and docs/trace.md show some command lines that differ only in their `# comment`: the
  // shell runs the same command for both, once, and each documented line is checked on that run.
  const runs = new Map<string, Run>();
  it.each(commands)(
    '%s',
    (command) => {
      const want = expected(command);
      const executed = command.replace(/\s+#.*$/, '');
      const run = runs.get(executed) ?? sh(dir, executed);
      runs.set(executed, run);
      expect(run.stderr).not.toMatch(/ERR_|Unknown file extension|Cannot find module/);
      expect(run.status).toBe(want.status);
      const report = want.output?.endsWith('.sarif')
        ? sarifSites(readFileSync(join(dir, want.output), 'utf8'))
        : want.output
          ? readFileSync(join(dir, want.output), 'utf8')
          : run.stderr;
      for (const site of want.sites) expect(report).toContain(site);
      for (const site of want.absent ?? []) expect(report).not.toContain(site);
    },
    120_000,
  );
});
