#!/usr/bin/env node
// Fetches the real-world evaluation corpus: every package pinned (version and integrity) in
// test/evaluation/packages.json is packed with `npm pack name@version` into
// .scratch/eval-corpus/ and extracted to .scratch/eval-corpus/<name>@<version>/.
// The corpus is never committed (.scratch/ is gitignored). Idempotent: a
// package whose folder already exists is skipped. Plain Node, no dependencies.
//
// Usage: node scripts/fetch-eval-corpus.js [--force]

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const corpusDir = path.join(root, '.scratch', 'eval-corpus');
export const packagesFile = path.join(root, 'test', 'evaluation', 'packages.json');

/** Folder name for a package: `@scope/name@1.2.3` stays readable but has no nested dir. */
export function packageDirName(name, version) {
  return `${name.replace('/', '__')}@${version}`;
}

export function readPackages() {
  return JSON.parse(readFileSync(packagesFile, 'utf8')).packages;
}

function npmCommand() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

/**
 * `npm pack name@version` and extract the tarball's single top-level folder to `dest` (which must
 * not exist). Only the npm registry is needed, so this also runs in CI.
 */
export function packPackage(name, version, dest, integrity) {
  const work = path.join(path.dirname(dest), '.tmp-' + path.basename(dest));
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const out = execFileSync(
      npmCommand(),
      ['pack', `${name}@${version}`, '--pack-destination', work, '--json', '--silent'],
      // --json lists every file of the tarball: next's 10,000 files are ~1.2 MB, past execFileSync's 1 MiB default.
      { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 },
    );
    const info = JSON.parse(out);
    const tarball = path.join(work, info[0].filename);
    if (info[0].version !== version) {
      throw new Error(`npm pack ${name}@${version} returned version ${info[0].version}`);
    }
    // npm checks the tarball against the registry's integrity; the pin checks that is the reviewed one.
    if (integrity !== undefined && info[0].integrity !== integrity) {
      throw new Error(`npm pack ${name}@${version}: integrity ${info[0].integrity}, pinned ${integrity}`);
    }
    // npm tarballs have a single top-level folder, normally `package/`.
    const extractDir = path.join(work, 'x');
    mkdirSync(extractDir);
    execFileSync('tar', ['-xzf', tarball, '-C', extractDir], { stdio: 'inherit' });
    const top = readdirSync(extractDir);
    if (top.length !== 1) throw new Error(`${name}@${version}: unexpected tarball layout: ${top.join(', ')}`);
    mkdirSync(path.dirname(dest), { recursive: true });
    renameSync(path.join(extractDir, top[0]), dest);
    return { integrity: info[0].integrity };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `dependencies` (`[{ name, version, why }]`) are the packages a listed file imports for its write or
 * its rename, packed into the package's own node_modules/ as an install would put them, so that
 * cross-module summaries see them the way they do in a user's project.
 */
function fetchOne({ name, version, integrity, files = [], dependencies = [] }, force) {
  const dest = path.join(corpusDir, packageDirName(name, version));
  for (const pinned of [{ name, version, integrity }, ...dependencies]) {
    if (!pinned.integrity)
      throw new Error(
        `${pinned.name}@${pinned.version}: no pinned "integrity" in ${path.relative(root, packagesFile)}`,
      );
  }
  const missingDependencies = dependencies.filter(
    (d) => !existsSync(path.join(dest, 'node_modules', d.name, 'package.json')),
  );
  if (existsSync(dest) && !force && missingDependencies.length === 0) {
    return { name, version, dest, skipped: true };
  }
  if (force || !existsSync(dest)) {
    rmSync(dest, { recursive: true, force: true });
    packPackage(name, version, dest, integrity);
  }
  for (const dep of force ? dependencies : missingDependencies) {
    const to = path.join(dest, 'node_modules', dep.name);
    rmSync(to, { recursive: true, force: true });
    packPackage(dep.name, dep.version, to, dep.integrity);
  }
  const missing = files.filter((f) => !existsSync(path.join(dest, f)));
  if (missing.length > 0) {
    throw new Error(`${name}@${version}: listed files missing from the tarball: ${missing.join(', ')}`);
  }
  return { name, version, dest, skipped: false, integrity };
}

export function fetchCorpus({ force = false, log = console.log } = {}) {
  mkdirSync(corpusDir, { recursive: true });
  const results = [];
  for (const pkg of readPackages()) {
    const r = fetchOne(pkg, force);
    log(`${r.skipped ? 'have' : 'fetched'} ${pkg.name}@${pkg.version} -> ${path.relative(root, r.dest)}`);
    results.push(r);
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fetchCorpus({ force: process.argv.includes('--force') });
}
