#!/usr/bin/env node
// Materialises the second evaluation set (test/evaluation/sources.json): source files of GitHub
// projects, pinned by repo + commit + path, written to .scratch/eval-sources/<project>/<path> with
// the repository's relative layout, so that relative imports between a linted file and its
// context files resolve. npm packages the files import for their write or rename are packed into
// .scratch/eval-sources/<project>/node_modules/<name>/ from the npm registry. Nothing is committed
// (.scratch/ is gitignored). Idempotent: a project folder that is complete is skipped.
//
// A file comes from a local git mirror of its repository: $EVAL_MIRROR_DIR/<owner>+<name>/repo (a
// bare git dir or a clone's .git; default /work/.mirror), read with `git show <commit>:<path>`. A
// missing mirror is an error naming the repository and commit to fetch. CI reaches only the npm
// registry, so for GitHub projects this is a manual step (see docs/evaluation.md); projects whose
// `source.npm` names a tarball need only npm.
//
// Usage: node scripts/fetch-eval-sources.js [--force]

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPackage } from './fetch-eval-corpus.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sourcesDir = path.join(root, '.scratch', 'eval-sources');
export const sourcesFile = path.join(root, 'test', 'evaluation', 'sources.json');
const mirrorRoot = process.env.EVAL_MIRROR_DIR ?? '/work/.mirror';

export function readSources() {
  return JSON.parse(readFileSync(sourcesFile, 'utf8'));
}

/** Folder of a project inside the cache: the project name with `/` and `@` made path-safe. */
export function projectDirName(project) {
  return project.project.replace(/^@/, '').replace(/\//g, '__');
}

function gitMirror(repo) {
  const dir = path.join(mirrorRoot, repo.replace('/', '+'), 'repo');
  return existsSync(dir) ? dir : null;
}

async function readFromGitHub(repo, commit, file) {
  const mirror = gitMirror(repo);
  if (mirror) {
    return execFileSync('git', ['--git-dir', mirror, 'show', `${commit}:${file}`], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  throw new Error(
    `no git mirror of ${repo} under ${mirrorRoot}: fetch ${repo} at ${commit} there first (EVAL_MIRROR_DIR)`,
  );
}

async function fetchProject(project, force) {
  const dest = path.join(sourcesDir, projectDirName(project));
  const marker = path.join(dest, '.complete');
  const wanted = JSON.stringify({
    commit: project.commit,
    source: project.source,
    files: project.files,
    context: project.context,
    packages: project.packages,
  });
  if (!force && existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return { dest, skipped: true };
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });

  const all = [...project.files, ...(project.context ?? [])];
  if (project.source?.npm) {
    const unpacked = path.join(dest, '.package');
    packPackage(project.source.npm, project.source.version, unpacked);
    for (const file of all) {
      const from = path.join(unpacked, file);
      if (!existsSync(from))
        throw new Error(`${project.source.npm}@${project.source.version}: ${file} is not in the tarball`);
      mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
      writeFileSync(path.join(dest, file), readFileSync(from));
    }
    rmSync(unpacked, { recursive: true, force: true });
  } else {
    for (const file of all) {
      const content = await readFromGitHub(project.repo, project.commit, file);
      mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
      writeFileSync(path.join(dest, file), content);
    }
  }
  for (const pkg of project.packages ?? []) {
    packPackage(pkg.name, pkg.version, path.join(dest, 'node_modules', pkg.name));
  }
  writeFileSync(marker, wanted);
  return { dest, skipped: false };
}

export async function fetchSources({ force = false, log = console.log } = {}) {
  mkdirSync(sourcesDir, { recursive: true });
  const failures = [];
  for (const project of readSources().projects) {
    try {
      const r = await fetchProject(project, force);
      log(`${r.skipped ? 'have' : 'fetched'} ${project.project} -> ${path.relative(root, r.dest)}`);
    } catch (error) {
      failures.push({ project: project.project, message: error.message });
      log(`FAILED ${project.project}: ${error.message.split('\n')[0]}`);
    }
  }
  return failures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const failures = await fetchSources({ force: process.argv.includes('--force') });
  if (failures.length) process.exit(1);
}
