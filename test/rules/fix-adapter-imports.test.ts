/**
 * Suggestions for writes through a project's own fs adapter (`export const write =
 * promisify(fs.write)`) import nothing from that adapter that it does not export: an import of a
 * missing name (`fsyncSync`) fails when the module loads.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../dist/src/index.js';

const project = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/cross-module/esm');
const adapter = path.join(project, 'lib/fs-adapter.js');

/** The names a module exports as `export const name` / `export function name`. */
function exportedNames(file: string): Set<string> {
  return new Set(
    [...readFileSync(file, 'utf8').matchAll(/^export (?:const|function|async function) (\w+)/gm)].map((m) => m[1]!),
  );
}

/** The names a text imports from `source`. */
function importedFrom(text: string, source: string): string[] {
  const names: string[] = [];
  const pattern = new RegExp(`import \\{([^}]*)\\} from '${source.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`, 'g');
  for (const match of text.matchAll(pattern))
    names.push(
      ...match[1]!
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    );
  return names;
}

describe('suggestions for writes through an fs adapter', () => {
  it('import only what the adapter exports', () => {
    const code = `import { open, write, close, rename } from './lib/fs-adapter.js';
export async function save(file, data) {
  const fd = await open(file + '.tmp', 'w');
  await write(fd, data);
  await close(fd);
  await rename(file + '.tmp', file);
}
`;
    const linter = new Linter({ configType: 'flat', cwd: project });
    const filename = path.join(project, 'app.js');
    const messages = linter.verify(
      code,
      [
        {
          files: ['**/*.js'],
          plugins: { 'durable-write': plugin },
          rules: { 'durable-write/no-unsynced-rename': 'error' },
          languageOptions: { sourceType: 'module', ecmaVersion: 'latest' },
        },
      ],
      { filename },
    );
    const reports = messages.filter((m) => m.ruleId === 'durable-write/no-unsynced-rename');
    expect(reports).toHaveLength(1);
    const suggestions = reports[0]!.suggestions ?? [];
    expect(suggestions.length).toBeGreaterThan(0);
    const exported = exportedNames(adapter);
    for (const suggestion of suggestions) {
      const output = code.slice(0, suggestion.fix.range[0]) + suggestion.fix.text + code.slice(suggestion.fix.range[1]);
      for (const name of importedFrom(output, './lib/fs-adapter.js')) expect(exported).toContain(name);
    }
  });
});
