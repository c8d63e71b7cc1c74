/**
 * `durable-write fix --write` rewrites call sites to import the runtime package; the import must
 * resolve after `npm ci --omit=dev`, so each rewritten file's nearest package.json gets the package
 * in `dependencies` (moved there from `devDependencies` if it was only a dev tool). The manifest
 * keeps its indentation, key order and final newline.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { nearestManifest, packageNameOf, raisedNodeFloor, type PackageManifest } from '../src/project.js';

export interface DependencyChange {
  /** The package.json file. */
  readonly manifest: string;
  readonly name: string;
  /** `^x.y.z` of the runtime package this CLI ships with. */
  readonly range: string;
  /** The Node.js floor the package gets from the runtime when its `engines.node` admits older versions. */
  readonly nodeFloor: string | undefined;
  /** The manifest's new text. */
  readonly text: string;
}

const runtimeName = 'durable-write-runtime';

/** The caret range of the runtime package this CLI ships with, and the Node.js versions it requires. */
function runtimePackage(): { range: string; node: string | undefined } {
  const manifest = createRequire(import.meta.url).resolve(`${runtimeName}/package.json`);
  const { version, engines } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
    version: string;
    engines?: { node?: string };
  };
  return { range: `^${version}`, node: engines?.node };
}

/** The manifests of `files` that do not list the runtime package in `dependencies`, with their new text. */
export function missingRuntimeDependencies(files: readonly string[], importSource: string): DependencyChange[] {
  if (packageNameOf(importSource) !== runtimeName) return [];
  const { range, node } = runtimePackage();
  const manifests = new Map(
    files
      .map((f) => nearestManifest(f))
      .filter((m): m is PackageManifest => m !== undefined && !m.dependencies.has(runtimeName))
      .map((m) => [m.file, m]),
  );
  return [...manifests.values()].map(({ file, nodeEngines }) => ({
    manifest: file,
    name: runtimeName,
    range,
    nodeFloor: raisedNodeFloor(nodeEngines, node),
    text: withDependency(fs.readFileSync(file, 'utf8'), runtimeName, range),
  }));
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
