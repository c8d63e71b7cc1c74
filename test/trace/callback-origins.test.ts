import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { programs, renamedTargets, scratchDir, trace } from './support.js';

const scratch = scratchDir('callback-origins');
afterAll(scratch.remove);

const program = join(programs, 'callback-origins.cjs');
/** The line of the program that calls the dependency, for each variant. */
const saveLine = (variant: string): number =>
  readFileSync(program, 'utf8')
    .split('\n')
    .findIndex((line) => line.endsWith(`// SAVE_LINE: ${variant}`)) + 1;

/** A dependency that saves through a callback chain, each fs call in the last one's callback. */
const callbackSaver = [
  "const fs = require('node:fs');",
  'module.exports = function save(file, data, callback) {',
  "  fs.open(`${file}.tmp`, 'w', (error, fd) => {",
  '    if (error) return callback(error);',
  '    fs.write(fd, data, (error) => {', // line 5
  '      if (error) return callback(error);',
  '      fs.close(fd, (error) => {',
  '        if (error) return callback(error);',
  '        fs.rename(`${file}.tmp`, file, callback);', // line 9
  '      });',
  '    });',
  '  });',
  '};',
  '',
].join('\n');

/** The same, writing 40 chunks one per callback: a chain longer than the origins kept per chain. */
const chunkedSaver = [
  "const fs = require('node:fs');",
  'module.exports = function save(file, data, callback) {',
  "  fs.open(`${file}.tmp`, 'w', (error, fd) => {",
  '    let left = 40;',
  '    const next = (error) => {',
  '      if (error) return callback(error);',
  '      if (left-- > 0) return fs.write(fd, data, next);',
  '      fs.close(fd, () => fs.rename(`${file}.tmp`, file, callback));',
  '    };',
  '    next(error);',
  '  });',
  '};',
  '',
].join('\n');

function project(saver = callbackSaver): string {
  const dir = scratch.fresh();
  mkdirSync(join(dir, 'node_modules/callback-saver'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/callback-saver/index.js'), saver);
  return dir;
}

describe('trace: callback-style calls keep the line that led to them', () => {
  it("a dependency's callback chain (open → write → close → rename): the user's line, and the dependency's own lines", () => {
    const dir = project();
    const run = trace(['node', program, dir, 'chain']);
    expect(run.stdout).toBe('saved\n');
    expect(run.status).toBe(1);
    expect(renamedTargets(run.findings)).toEqual(['chain.json']);
    const [finding] = run.findings;
    const saver = join(dir, 'node_modules/callback-saver/index.js');
    expect(finding?.write).toMatchObject({
      site: { file: program, line: saveLine('chain') },
      package: { name: 'callback-saver', site: { file: saver, line: 5 } },
    });
    expect(finding?.rename).toMatchObject({
      site: { file: program, line: saveLine('chain') },
      package: { name: 'callback-saver', site: { file: saver, line: 9 } },
    });
  });

  it('a chain longer than the hops kept still leads back to the first call', () => {
    const dir = project(chunkedSaver);
    const run = trace(['node', program, dir, 'chain']);
    expect(run.status).toBe(1);
    expect(run.findings.map((finding) => [finding.write?.site?.line, finding.rename.site?.line])).toEqual([
      [saveLine('chain'), saveLine('chain')],
    ]);
  });

  it("write-file-atomic's callback form, which awaits before its first fs call: the user's line with --async-stacks", () => {
    const dir = scratch.fresh();
    const withAsync = trace(['node', program, dir, 'write-file-atomic-callback'], { args: ['--async-stacks'] });
    expect(withAsync.stdout).toBe('saved\n');
    expect(withAsync.status).toBe(1);
    expect(renamedTargets(withAsync.findings)).toEqual(['write-file-atomic-callback.json']);
    for (const call of [withAsync.findings[0]?.write, withAsync.findings[0]?.rename])
      expect(call).toMatchObject({
        site: { file: program, line: saveLine('write-file-atomic-callback') },
        package: { name: 'write-file-atomic' },
      });

    // Without it the dependency is still named, and no line is made up.
    const without = trace(['node', program, dir, 'write-file-atomic-callback']);
    expect(without.status).toBe(1);
    expect(without.findings[0]?.rename.site).toBeUndefined();
    expect(without.findings[0]?.rename.package?.name).toBe('write-file-atomic');
  });
});
