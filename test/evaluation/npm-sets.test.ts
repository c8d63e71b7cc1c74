import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NPM_SETS } from '../../scripts/lib/evaluate-npm-set.js';
import { setDir, splitPackages } from '../../scripts/split-eval-set.js';

interface Label {
  package: string;
  file: string;
  line: number;
  kind: string;
  shape: string;
  why: string;
  code: string;
  reportAt?: Array<number | { file: string; line: number }>;
}
interface Manifest {
  $comment: string[];
  shapes: Record<string, string>;
  packages: Array<{ name: string; version: string; integrity: string; sourceType: string; files: string[]; dependencies: Array<{ name: string; version: string }> }>;
  labels: Label[];
}

// Sets 3 to 24: npm packages labelled before any run, hashed, then split at random into dev and held-out.
const SETS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];

it('evaluate.js finds every set by its folder', () => {
  expect(NPM_SETS).toEqual(SETS);
});

describe.each(SETS)('evaluation set %i', (set) => {
  const dir = setDir(set);
  const read = <T>(file: string): T => JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as T;
  const manifest = read<Manifest>('labels.json');
  const split = read<{ seed: number; dev: string[]; heldOut: string[] }>('split.json');

  it('labels.json is the file whose hash was committed before the first run', () => {
    const hash = createHash('sha256').update(readFileSync(resolve(dir, 'labels.json'))).digest('hex');
    expect(readFileSync(resolve(dir, 'labels.sha256'), 'utf8').split(/\s+/)[0]).toBe(hash);
  });

  it('pins every package and dependency by exact version, and packages by integrity', () => {
    for (const p of manifest.packages) {
      // An exact version may be a prerelease (set 14 pins three packages at the prerelease the candidate list named).
      expect(p.version, p.name).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/);
      expect(p.integrity, p.name).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
      expect(['module', 'commonjs'], p.name).toContain(p.sourceType);
      for (const d of p.dependencies) expect(d.version, `${p.name} ${d.name}`).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(new Set(manifest.packages.map((p) => p.name)).size).toBe(manifest.packages.length);
  });

  it('labels only linted files, with a known kind and shape, and no two labels on one line', () => {
    const seen = new Set<string>();
    for (const l of manifest.labels) {
      const where = `${l.package} ${l.file}:${l.line}`;
      const pkg = manifest.packages.find((p) => p.name === l.package);
      expect(pkg?.files, where).toContain(l.file);
      expect(['bug', 'correct'], where).toContain(l.kind);
      expect(Object.keys(manifest.shapes), where).toContain(l.shape);
      expect(l.why.length, where).toBeGreaterThan(20);
      expect(seen.has(where), where).toBe(false);
      seen.add(where);
    }
  });

  it('dev.json and held-out.json are the seeded split of labels.json, by package', () => {
    expect(splitPackages(manifest, split.seed)).toEqual({ dev: split.dev, heldOut: split.heldOut });
    const dev = read<Manifest>('dev.json');
    const heldOut = read<Manifest>('held-out.json');
    expect(dev.packages.map((p) => p.name).sort()).toEqual([...split.dev].sort());
    expect(heldOut.packages.map((p) => p.name).sort()).toEqual([...split.heldOut].sort());
    expect([...dev.labels, ...heldOut.labels].length).toBe(manifest.labels.length);
    for (const l of dev.labels) expect(split.dev, l.package).toContain(l.package);
    for (const l of heldOut.labels) expect(split.heldOut, l.package).toContain(l.package);
    expect(heldOut.$comment[0]).toMatch(/DO NOT TUNE/);
  });

  it('a different seed gives a different split (the seed is what decides it)', () => {
    expect(splitPackages(manifest, split.seed + 1)).not.toEqual({ dev: split.dev, heldOut: split.heldOut });
  });
});

// Each npm set is new code: no package of an earlier set (its own code, not a dependency, is what a new measure needs).
describe.each(SETS.slice(1))('evaluation set %i', (set) => {
  // Set 12 was built for cross-function bugs and fsynced publications, which are rarer; it reached 26 packages
  // and 92 sites before its deadline (docs/evaluation.md), and is held to what it reached.
  const [minPackages, minSites] = set === 12 ? [26, 90] : [40, 80];
  it(`uses no package or repository of the sets before it, and has at least ${minPackages} packages and ${minSites} sites`, () => {
    const json = <T>(file: string): T => JSON.parse(readFileSync(resolve(import.meta.dirname, file), 'utf8')) as T;
    const set1 = json<{ packages: Array<{ name: string }> }>('packages.json').packages.map((p) => p.name);
    const set2 = json<{ projects: Array<{ project: string; repo?: string; source?: { npm?: string } }> }>(
      'sources.json',
    ).projects.flatMap((p) => [p.project, p.repo?.split('/')[1], p.source?.npm]);
    const earlier = Array.from({ length: set - 3 }, (_, i) =>
      json<Manifest>(`set${i + 3}/labels.json`).packages.map((p) => p.name),
    ).flat();
    const used = new Set([...set1, ...set2, ...earlier].filter((name) => name !== undefined));
    const manifest = json<Manifest>(`set${set}/labels.json`);
    expect(manifest.packages.map((p) => p.name).filter((name) => used.has(name))).toEqual([]);
    expect(manifest.packages.length).toBeGreaterThanOrEqual(minPackages);
    expect(manifest.labels.length).toBeGreaterThanOrEqual(minSites);
  });
});

// Set 9 had 24 bugs (11 held out), too few to measure a recall target of 85 %; set 10 was built for many more.
it('evaluation set 10 has at least 40 bugs among at least 90 labelled sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(10), 'labels.json'), 'utf8')) as Manifest;
  expect(manifest.labels.filter((l) => l.kind === 'bug').length).toBeGreaterThanOrEqual(40);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(90);
});

// Set 10's false positives came from correct sites the rule misread; set 11 was built for many of both kinds.
it('evaluation set 11 has at least 40 bugs and 50 correct sites among at least 100 labelled sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(11), 'labels.json'), 'utf8')) as Manifest;
  expect(manifest.labels.filter((l) => l.kind === 'bug').length).toBeGreaterThanOrEqual(40);
  expect(manifest.labels.filter((l) => l.kind === 'correct').length).toBeGreaterThanOrEqual(50);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(100);
});

// Set 12 was built for bugs whose write and rename sit in different functions and for durable (fsynced) correct
// sites; it is held to the counts it reached (docs/evaluation.md says what it aimed for).
it('evaluation set 12 has at least 45 bugs (15 not same-function) and 40 correct sites (6 fsynced publications)', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(12), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(bugs.length).toBeGreaterThanOrEqual(45);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(15);
  expect(correct.length).toBeGreaterThanOrEqual(40);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(6);
});

// Set 13 was built to measure recall and false positives on held-out code with both kinds of site, from a new
// source of candidates (the keyword pools of sets 3 to 12 were nearly exhausted); it is held to the counts it reached.
it('evaluation set 13 has at least 50 bugs (20 not same-function) and 50 correct sites among at least 100 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(13), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  expect(bugs.length).toBeGreaterThanOrEqual(50);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(20);
  expect(manifest.labels.filter((l) => l.kind === 'correct').length).toBeGreaterThanOrEqual(50);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(100);
});

// Set 14 was built like set 13, from new candidate pools (the keyword pools of sets 3 to 13 were nearly exhausted),
// with many bugs whose write and rename are not in one function; it is held to the counts it reached.
it('evaluation set 14 has at least 70 bugs (28 not same-function) and 80 correct sites among at least 150 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(14), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(60);
  expect(bugs.length).toBeGreaterThanOrEqual(70);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(28);
  expect(correct.length).toBeGreaterThanOrEqual(80);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(10);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(150);
});

// Set 15 was built like set 14 from new pools (popular packages, then summary pools set 14 did not use), on code
// nobody here had tuned on; it found few fsynced publications outside forks of earlier sets' code, and is held to the
// counts it reached.
it('evaluation set 15 has at least 70 bugs (35 not same-function) and 55 correct sites among at least 130 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(15), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(65);
  expect(bugs.length).toBeGreaterThanOrEqual(70);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(35);
  expect(correct.length).toBeGreaterThanOrEqual(55);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(2);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(130);
});

// Set 16 was built like set 15, from the candidates set 15 packed but never read, the part of its queues it never
// packed and the least-downloaded packages with persistence words; it found one fsynced publication, and is held to
// the counts it reached.
it('evaluation set 16 has at least 40 bugs (20 not same-function) and 65 correct sites among at least 105 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(16), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(75);
  expect(bugs.length).toBeGreaterThanOrEqual(40);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(20);
  expect(correct.length).toBeGreaterThanOrEqual(65);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(1);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(105);
});

// Set 17 was built like set 16, from the candidates set 16 packed but never read, the part of its queues it never
// packed and packages with persistence words in the 300-30,000 and popular download bands; it found four fsynced
// publications, and is held to the counts it reached.
it('evaluation set 17 has at least 60 bugs (33 not same-function) and 57 correct sites among at least 120 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(17), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(65);
  expect(bugs.length).toBeGreaterThanOrEqual(60);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(33);
  expect(correct.length).toBeGreaterThanOrEqual(57);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(4);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(120);
});

// Set 18 was built like set 17, from the candidates set 17 packed but never read, then packages with persistence
// words in the 300-30,000 and popular download bands and packages of the 300-30,000 band whose summaries name files,
// archives, storage or generators; it found two fsynced publications, and is held to the counts it reached.
it('evaluation set 18 has at least 60 bugs (33 not same-function) and 75 correct sites among at least 135 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(18), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(90);
  expect(bugs.length).toBeGreaterThanOrEqual(60);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(33);
  expect(correct.length).toBeGreaterThanOrEqual(75);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(2);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(135);
});

// Set 19 was built like set 18, from the candidates set 18 packed but never read, then packages set 18 never packed
// whose summaries name files, storage, downloads, generators or settings (the popular band, then the 300-30,000 band);
// it found eleven fsynced publications, and is held to the counts it reached.
it('evaluation set 19 has at least 37 bugs (26 not same-function) and 75 correct sites among at least 115 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(19), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(65);
  expect(bugs.length).toBeGreaterThanOrEqual(37);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(26);
  expect(correct.length).toBeGreaterThanOrEqual(75);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(10);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(115);
});

// Set 20 was built like set 19, from the candidates set 19 packed but never read, then packages sets 18 and 19 never
// packed whose summaries name files, storage, downloads, generators or settings, then scaffolds, CLIs and agent tools
// of the same band; bugs mattered most, and it is held to the counts it reached (one fsynced publication).
it('evaluation set 20 has at least 70 bugs (27 not same-function) and 85 correct sites among at least 155 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(20), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(85);
  expect(bugs.length).toBeGreaterThanOrEqual(70);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(27);
  expect(correct.length).toBeGreaterThanOrEqual(85);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(1);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(155);
});

// Set 21 was built like set 20, from the candidates set 20 packed but never read, then the scaffold, template and CLI
// names of set 20's pool 3 it never packed, then packages sets 18 to 20 never packed whose summaries name files,
// storage, downloads, generators or settings; bugs mattered most, and it is held to the counts it reached (eight
// fsynced publications).
it('evaluation set 21 has at least 90 bugs (53 not same-function) and 110 correct sites among at least 205 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(21), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(110);
  expect(bugs.length).toBeGreaterThanOrEqual(90);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(53);
  expect(correct.length).toBeGreaterThanOrEqual(110);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(8);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(205);
});

// Set 22 was built like set 21 from pools outside those sets 18 to 21 drew from (summaries naming bundler plugins, dev
// servers, editors, builds, media, releases and the like; empty summaries whose names hold a file, cache, store,
// config, state, server or build word); their renames were sparser, and it is held to the counts it reached (no
// fsynced publication).
it('evaluation set 22 has at least 40 bugs (25 not same-function) and 45 correct sites among at least 90 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(22), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(60);
  expect(bugs.length).toBeGreaterThanOrEqual(40);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(25);
  expect(correct.length).toBeGreaterThanOrEqual(45);
  // A reportAt entry in another file names a line of a listed file of the label's package (new in set 22).
  for (const l of manifest.labels)
    for (const at of l.reportAt ?? [])
      if (typeof at !== 'number') {
        const pkg = manifest.packages.find((p) => p.name === l.package);
        expect(pkg?.files, `${l.package} ${l.file}:${l.line}`).toContain(at.file);
      }
  expect(manifest.labels.length).toBeGreaterThanOrEqual(90);
});

// Set 23 was built like set 22 from pools outside those sets 18 to 22 drew from (the 30,000-300,000 band's CLIs,
// tools, kits and servers without a persistence word; servers, workers, disks and key-value stores of the 300-30,000
// band; set 22's unpacked bundler and editor names; binaries, drivers, FFmpeg and embedded databases), with fsynced
// publications sought on purpose (write-file-atomic and atomically calls read too); it is held to the counts it reached.
it('evaluation set 23 has at least 40 bugs (25 not same-function) and 45 correct sites (7 fsynced) among at least 90 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(23), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(65);
  expect(bugs.length).toBeGreaterThanOrEqual(40);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(25);
  expect(correct.length).toBeGreaterThanOrEqual(45);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(7);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(90);
});

// Set 24 was built like set 23 from pools outside those sets 18 to 23 drew from (the summaries with a persistence
// word above 300,000 downloads a month, the names none of sets 18 to 23 reached) and the names set 23 queued but never
// packed, with fsynced publications sought again; it is held to the counts it reached.
it('evaluation set 24 has at least 30 bugs (20 not same-function) and 50 correct sites (5 fsynced) among at least 80 sites', () => {
  const manifest = JSON.parse(readFileSync(resolve(setDir(24), 'labels.json'), 'utf8')) as Manifest;
  const bugs = manifest.labels.filter((l) => l.kind === 'bug');
  const correct = manifest.labels.filter((l) => l.kind === 'correct');
  expect(manifest.packages.length).toBeGreaterThanOrEqual(50);
  expect(bugs.length).toBeGreaterThanOrEqual(30);
  expect(bugs.filter((l) => l.shape !== 'same-function').length).toBeGreaterThanOrEqual(20);
  expect(correct.length).toBeGreaterThanOrEqual(50);
  // A correct site's shape other than `other` marks a durable publication (see the set's $comment).
  expect(correct.filter((l) => l.shape !== 'other').length).toBeGreaterThanOrEqual(5);
  expect(manifest.labels.length).toBeGreaterThanOrEqual(80);
});
