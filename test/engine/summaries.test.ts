/**
 * Function summaries on their own (src/engine/summaries.ts): what each function of a file does to
 * files, in terms of its parameters, and the file each call of a summarised helper acts on. Also the
 * seam between detection and fixes: a finding carries the key it was matched on, and the detector's
 * keys give the write's path the same key.
 */
import { Linter, type Rule } from 'eslint';
import type * as ESTree from 'estree';
import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/engine/call-graph.js';
import { findUnsyncedRenames, type UnsyncedRename } from '../../src/engine/detector.js';
import { describeSummary } from '../../src/engine/explain.js';
import { FileKeys } from '../../src/engine/file-key.js';
import { FileSystems } from '../../src/engine/file-systems.js';
import { Summaries } from '../../src/engine/summaries.js';

function lint(code: string, rule: Rule.RuleModule): void {
  const messages = new Linter({ configType: 'flat' }).verify(code, {
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { test: { rules: { rule } } },
    rules: { 'test/rule': 'error' },
  });
  expect(messages).toEqual([]);
}

/** Each named function's summary in words, and each summarised call: what it acts on. */
function summarise(code: string): { functions: Record<string, string>; calls: string[] } {
  const functions: Record<string, string> = {};
  const calls: string[] = [];
  lint(code, {
    create(context) {
      const { sourceCode } = context;
      const keys = new FileKeys((node) => sourceCode.getScope(node));
      const fileSystems = new FileSystems(sourceCode, keys);
      fileSystems.trackImports(sourceCode.ast, {});
      const summaries = new Summaries(sourceCode, fileSystems, keys, new CallGraph(sourceCode, keys));
      summaries.compute();
      for (const node of sourceCode.ast.body) {
        const fn = (node.type === 'ExportNamedDeclaration' ? node.declaration : node) as ESTree.Node | null;
        if (fn?.type !== 'FunctionDeclaration' || !fn.id) continue;
        const summary = summaries.summaryOf(fn);
        functions[fn.id.name] = summary ? describeSummary(summary) : 'nothing';
      }
      for (const [call, site] of summaries.calls()) {
        const name = sourceCode.getText((call as ESTree.CallExpression).callee);
        const file = site.file ? ` ${site.file.key.id}` : '';
        const to = site.destination ? ` to ${site.destination.id}` : '';
        calls.push(`${name}: ${site.info.member.kind}${file}${to}`);
      }
      return {};
    },
  });
  return { functions, calls };
}

describe('function summaries', () => {
  it('a helper that writes a temp next to its argument and returns it', () => {
    const { functions } = summarise(`
      import fs from 'node:fs';
      function stage(file, data) {
        const tmp = file + '.tmp';
        fs.writeFileSync(tmp, data);
        return tmp;
      }
    `);
    expect(functions.stage).toBe('done on return, writes tpl(§0§,".tmp"), no fsync, returns tpl(§0§,".tmp")');
  });

  it('renames, with and without an fsync, in a callback or a promise', () => {
    const { functions } = summarise(`
      import fs from 'node:fs';
      export function publish(tmp, dest, cb) { fs.rename(tmp, dest, cb); }
      export async function commit(job) {
        const fd = await fs.promises.open(job.tmp, 'r+');
        await fd.sync();
        await fs.promises.rename(job.tmp, job.dest);
      }
    `);
    expect(functions.publish).toBe('done when it calls back, renames §0§ to §1§, no fsync');
    expect(functions.commit).toBe('done when its promise settles, renames §0§.tmp to §0§.dest, fsyncs');
  });

  it('a handler factory: what its handler renames, in the factory’s parameters', () => {
    const { functions } = summarise(`
      import fs from 'node:fs';
      function handleClose(stream) {
        return function () { fs.renameSync(stream.tmp, stream.dest); };
      }
    `);
    expect(functions.handleClose).toBe(
      'done on return, no fsync, returns a handler that done on return, renames §0§.tmp to §0§.dest, no fsync',
    );
  });

  it('a temp of its own making returned with its descriptor, by field', () => {
    const { functions } = summarise(`
      import fs from 'node:fs';
      function openTemp(file) {
        const path = file + '.' + Math.random();
        const fd = fs.openSync(path, 'w');
        return { fd, path };
      }
    `);
    expect(functions.openTemp).toBe('done on return, no fsync, returns §call§, returns .fd = a handle on §call§.path');
  });

  it('keeps every whole write of a helper that renames nothing, and none of a folder it publishes from', () => {
    const { functions } = summarise(`
      import fs from 'node:fs';
      import path from 'node:path';
      function writeBoth(a, b, data) {
        fs.writeFileSync(a, data);
        fs.writeFileSync(b, data);
        fs.appendFileSync(a + '.log', 'saved');
      }
      function build(dir) {
        fs.cpSync('template', dir, { recursive: true });
        fs.renameSync(path.join(dir, 'app.tmp'), path.join(dir, 'app'));
      }
    `);
    expect(functions.writeBoth).toBe('done on return, writes §0§, writes §1§, no fsync');
    expect(functions.build).toBe('nothing');
  });

  it('keeps the other writes, a folder filled included, for a call at which the first names nothing', () => {
    const { functions, calls } = summarise(`
      import fs from 'node:fs';
      import path from 'node:path';
      function fetchTemplate({ tmp, cwd } = {}) {
        fs.writeFileSync(path.join(tmp, 'a.zip'), 'zip');
        fs.cpSync(path.join(tmp, 'a'), cwd, { recursive: true });
      }
      function create(dir) {
        fetchTemplate({ cwd: dir });
      }
    `);
    expect(functions.fetchTemplate).toBe(
      'done on return, writes join(§0§.tmp,"a.zip"), also writes inside §0§.cwd, no fsync',
    );
    // At the call, the write into the folder it passes (`v0`: `dir`).
    expect(calls).toEqual(['fetchTemplate: write v0']);
  });

  it("instantiates a summary at each call with that call's arguments", () => {
    const { calls } = summarise(`
      import fs from 'node:fs';
      function stage(file, data) {
        const tmp = file + '.tmp';
        fs.writeFileSync(tmp, data);
        return tmp;
      }
      function publish(from, to) { fs.renameSync(from, to); }
      export function save(dest, data) {
        const t = stage(dest, data);
        publish(t, dest);
      }
    `);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(/^stage: write tpl\(v(\d+),"\.tmp"\)$/);
    const dest = /v\d+/.exec(calls[0] as string)?.[0] as string;
    expect(calls[1]).toBe(`publish: rename tpl(${dest},".tmp") to ${dest}`);
  });
});

describe('findings carry their file key', () => {
  it("the detector's keys give the write's path the key the finding was matched on", () => {
    const findings: UnsyncedRename[] = [];
    lint(
      `
      import fs from 'node:fs';
      export function save(dest, data) {
        const tmp = dest + '.tmp';
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, dest);
      }
    `,
      { create: (context) => findUnsyncedRenames(context, {}, (finding) => findings.push(finding)) },
    );
    expect(findings).toHaveLength(1);
    const [finding] = findings as [UnsyncedRename];
    expect(finding.fileKey.id).toMatch(/^tpl\(v\d+,"\.tmp"\)$/);
    const path = (finding.write as ESTree.CallExpression).arguments[0] as ESTree.Node;
    expect(finding.keys.keyOf(path)?.equals(finding.fileKey)).toBe(true);
    expect(finding.keys.keyOf(finding.rename.arguments[1] as ESTree.Node)?.equals(finding.fileKey)).toBe(false);
  });
});
