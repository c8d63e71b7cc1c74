import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { programs, scratchDir, trace } from './support.js';

const scratch = scratchDir('streams');
afterAll(scratch.remove);

const program = join(programs, 'write-streams.cjs');
const streamLine = (variant: string): number =>
  readFileSync(program, 'utf8')
    .split('\n')
    .findIndex((line) => line.endsWith(`// STREAM_LINE: ${variant}`)) + 1;

describe('trace: write streams not made by fs.createWriteStream', () => {
  // Node opens such a stream's file a tick after it was made, from no frame of the program's.
  it.each(['graceful-fs', 'graceful-fs WriteStream', 'new fs.WriteStream'])(
    '%s: written at the line that made the stream; instanceof as before',
    (variant) => {
      const dir = scratch.fresh();
      const run = trace(['node', program, dir, variant]);
      expect(run.programStderr).toBe('');
      expect(run.stdout).toBe('true true\n');
      expect(run.status).toBe(1);
      expect(run.findings).toHaveLength(1);
      expect(run.findings[0]?.write?.site).toMatchObject({ file: program, line: streamLine(variant) });
    },
  );
});
