/**
 * `durable-write fix --write` rewrites call sites to import the runtime package; the import must
 * resolve after `npm ci --omit=dev`, so each rewritten file's nearest package.json gets the package
 * in `dependencies` (moved there from `devDependencies` if it was only a dev tool). The manifest
 * keeps its indentation, key order and final newline.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { nearestManifest, packageNameOf } from '../src/project.js';

export interface DependencyChange {
  /** The package.json file. */
  readonly manifest: string;
  readonly name: string;
  /** `^x.y.z` of the runtime package this CLI ships with. */
  readonly range: string;
  /** The manifest's new text. */
  readonly text: string;
}

const runtimeName = 'durable-write-runtime';

function runtimeRange(): string {
  const manifest = createRequire(import.meta.url).resolve(`${runtimeName}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  return `^${version}`;
}

/** The manifests of `files` that do not list the runtime package in `dependencies`, with their new text. */
export function missingRuntimeDependencies(files: readonly string[], importSource: string): DependencyChange[] {
  if (packageNameOf(importSource) !== runtimeName) return [];
  const range = runtimeRange();
  const manifests = new Set(files.map((f) => nearestManifest(f)).filter((m) => m && !m.dependencies.has(runtimeName)).map((m) => m?.file as string));
  return [...manifests].map((manifest) => ({ manifest, name: runtimeName, range, text: withDependency(fs.readFileSync(manifest, 'utf8'), runtimeName, range) }));
}

/** `text` (a package.json) with `name@range` in `dependencies`, sorted in as npm sorts them. */
export function withDependency(text: string, name: string, range: string): string {
  const json = JSON.parse(text) as Record<string, unknown>;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const dependencies = { ...(json.dependencies as Record<string, string> | undefined), [name]: range };
  json.dependencies = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b, 'en')));
  const dev = json.devDependencies as Record<string, string> | undefined;
  if (dev && name in dev) {
    const { [name]: _moved, ...rest } = dev;
    json.devDependencies = rest;
  }
  const out = JSON.stringify(json, null, indent).replace(/\n/g, eol);
  return /\r?\n$/.test(text) ? `${out}${eol}` : out;
}

/**
 * `files` that would import the runtime package with no package.json above them: nothing declares
 * the dependency there, so nothing installs it and the rewritten code cannot run.
 */
export function filesWithoutManifest(files: readonly string[], importSource: string): string[] {
  return packageNameOf(importSource) === runtimeName ? files.filter((f) => !nearestManifest(f)) : [];
}
