/**
 * The jscodeshift transform on `__testfixtures__`: one input/output pair per shape (ts, mts, tsx,
 * js ESM, cjs, a CRLF file), negatives without an output file (left byte-identical), idempotency
 * (every output, run again, is unchanged) and the review list for sites it must not rewrite.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jscodeshift, { type API } from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import transform from '../../codemods/durable-write.js';

const dir = fileURLToPath(new URL('./__testfixtures__/', import.meta.url));
const inputs = readdirSync(dir).filter((f) => f.includes('.input.'));

function run(name: string, source: string): { output: string | undefined; reports: string[] } {
  const reports: string[] = [];
  const api: API = { j: jscodeshift, jscodeshift, stats: () => undefined, report: (m: string) => void reports.push(m) };
  return { output: transform({ path: `${dir}${name}`, source }, api, {}), reports };
}

describe('durable-write transform fixtures', () => {
  it('has a fixture per shape and language', () => {
    expect(inputs.map((f) => f.split('.').pop()).sort()).toEqual(
      ['cjs', 'cjs', 'js', 'mjs', 'mjs', 'mjs', 'mts', 'ts', 'ts', 'ts', 'tsx'].sort(),
    );
  });

  for (const input of inputs) {
    const outputName = input.replace('.input.', '.output.');
    const source = readFileSync(`${dir}${input}`, 'utf8');
    const expected = existsSync(`${dir}${outputName}`) ? readFileSync(`${dir}${outputName}`, 'utf8') : source;

    it(`${input} → ${existsSync(`${dir}${outputName}`) ? outputName : 'unchanged'}`, () => {
      const { output } = run(input, source);
      expect(output ?? source).toBe(expected);
      expect(output ?? source).not.toMatch(/'use strict';;/);
      if (source.includes('\r\n')) expect((output ?? source).replace(/\r\n/g, '')).not.toContain('\n');
    });

    it(`${input}: the output, run again, is unchanged`, () => {
      const { output } = run(outputName, expected);
      expect(output ?? expected).toBe(expected);
    });
  }

  it('lists the interfering statement as the reason to leave a site', () => {
    const name = 'negative-interfering.input.mjs';
    const { output, reports } = run(name, readFileSync(`${dir}${name}`, 'utf8'));
    expect(output).toBe(readFileSync(`${dir}${name}`, 'utf8'));
    expect(reports).toEqual([
      '6:3 renameSync() left for review: statements between the write and the rename would run after the file is published',
    ]);
  });

  it('rewrites an if/else error callback, and fixes a same-file wrapper in its body', () => {
    const source = [
      "const fs = require('fs');",
      'function save(file, data, cb) {',
      "  fs.writeFile(file + '.tmp', data, (err) => {",
      '    if (err) {',
      '      cb(err);',
      '    } else {',
      "      fs.rename(file + '.tmp', file, cb);",
      '    }',
      '  });',
      '}',
      'function put(p, d) { fs.writeFileSync(p, d); }',
      'function save2(file) {',
      "  put(file + '.tmp', 'x');",
      "  fs.renameSync(file + '.tmp', file);",
      '}',
      'module.exports = { save, save2 };',
      '',
    ].join('\n');
    const { output, reports } = run('wrappers.cjs', source);
    // The if/else error callback (LokiJS's shape) is rewritten; `save2`, a wrapper whose callers pass
    // the path and whose write goes through the project's own `put()`, is fixed in its body.
    expect(output).toContain(
      'writeFileDurable(file, data).then(() => null, (error) => error.cause ?? error).then((error) => process.nextTick((err) => {',
    );
    expect(output).toContain('      process.nextTick(cb, null);');
    expect(output).toContain(
      ["  put(file + '.tmp', 'x');", '  {', "    const fd = fs.openSync(file + '.tmp', 'r+');"].join('\n'),
    );
    expect(output).toContain("    const dirFd = fs.openSync(dirname(file), 'r');");
    expect(reports).toEqual([]);
  });

  it('does not parse a file that names no rename, nor a declaration file', () => {
    expect(run('plain.ts', 'export const x: number = ;').output).toBeUndefined();
    expect(run('types.d.ts', 'declare function rename(a: string): void;').output).toBeUndefined();
  });

  it('skips and reports an unparsable file that names a rename', () => {
    const { output, reports } = run('broken.ts', "import fs from 'fs';\nfs.renameSync(a, b\n");
    expect(output).toBeUndefined();
    expect(reports[0]).toMatch(/^skipped, cannot parse: /);
  });

  it('imports a vendored helper by relative path', () => {
    const source = readFileSync(`${dir}statements-sync.input.ts`, 'utf8');
    const reports: string[] = [];
    const api: API = {
      j: jscodeshift,
      jscodeshift,
      stats: () => undefined,
      report: (m: string) => void reports.push(m),
    };
    const output = transform({ path: '/repo/src/settings/save.ts', source }, api, {
      vendor: '/repo/src/lib/durable-write.ts',
    });
    expect(output).toContain("import { writeFileDurableSync } from '../lib/durable-write.js';");
  });
});
