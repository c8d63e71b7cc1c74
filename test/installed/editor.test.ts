/**
 * The editor: VS Code's ESLint server (`vscode-eslint-language-server`, from vscode-langservers-extracted)
 * driven over stdio by a small LSP client, as the extension drives it. A buggy file gets the diagnostic
 * at the rename (pulled, as VS Code pulls them), the quick fix and the suggestions are offered, and the applied fix parses and is no
 * longer reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as espree from 'espree';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from './consumer.js';

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface Diagnostic {
  range: Range;
  code?: string | number | { value: string };
  source?: string;
  severity?: number;
  message: string;
}
interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: Array<{ textDocument: { uri: string }; edits: TextEdit[] }>;
}
interface CodeAction {
  title: string;
  kind?: string;
  diagnostics?: Diagnostic[];
  /** The server's fixes are commands: executing one makes it send `workspace/applyEdit`. */
  command?: { command: string; arguments?: unknown[] };
}

// Two sites: the first has an autofix (made durable in place: the runtime is no production dependency
// here), the second, a callback, has suggestions only.
const program = `import { readFileSync, rename, renameSync, writeFile, writeFileSync } from 'node:fs';

const tmp = 'state.json.tmp';
writeFileSync(tmp, JSON.stringify({ saved: true }));
renameSync(tmp, 'state.json');
console.log(readFileSync('state.json', 'utf8'));

writeFile('log.json.tmp', '[]', (error) => {
  if (error) throw error;
  rename('log.json.tmp', 'log.json', (error) => {
    if (error) throw error;
    console.log(readFileSync('log.json', 'utf8'));
  });
});
`;
const ruleId = 'durable-write/no-unsynced-rename';
const codeOf = (d: Diagnostic): string | number | undefined => (typeof d.code === 'object' ? d.code.value : d.code);

/** Offsets of a text by LSP position (UTF-16 code units, as JavaScript strings count). */
function offsetAt(text: string, { line, character }: Position): number {
  let offset = 0;
  for (let l = 0; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + character;
}
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  return sorted.reduce(
    (out, e) => out.slice(0, offsetAt(out, e.range.start)) + e.newText + out.slice(offsetAt(out, e.range.end)),
    text,
  );
}

let work = '';
let server: ChildProcess;
let connection: MessageConnection;
let applied: WorkspaceEdit[] = [];

/** The edit the server asks the client to apply when `action` runs, for `uri`. */
async function editOf(action: CodeAction, uri: string): Promise<TextEdit[]> {
  applied = [];
  await connection.sendRequest('workspace/executeCommand', action.command);
  const edit = applied[0];
  return edit?.changes?.[uri] ?? edit?.documentChanges?.find((c) => c.textDocument.uri === uri)?.edits ?? [];
}

/** The server answers pull requests for diagnostics (LSP 3.17 `textDocument/diagnostic`), as VS Code asks. */
async function diagnosticsOf(uri: string): Promise<Diagnostic[]> {
  const report = (await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
    kind: string;
    items: Diagnostic[];
  };
  return report.items;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'durable-write-editor-'));
  symlinkSync(join(repositoryRoot, 'node_modules'), join(work, 'node_modules'));
  writeFileSync(join(work, 'package.json'), '{ "name": "editor-app", "private": true, "type": "module" }\n');
  const plugin = pathToFileURL(join(repositoryRoot, 'dist', 'src', 'index.js')).href;
  writeFileSync(
    join(work, 'eslint.config.mjs'),
    `import durableWrite from ${JSON.stringify(plugin)};\n\nexport default [durableWrite.configs.recommended];\n`,
  );

  const require = createRequire(import.meta.url);
  const bin = join(
    require.resolve('vscode-langservers-extracted/package.json'),
    '..',
    'bin',
    'vscode-eslint-language-server',
  );
  server = spawn(process.execPath, [bin, '--stdio'], { cwd: work, stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const workspaceFolder = { uri: pathToFileURL(work).href, name: 'editor-app' };
  // What VS Code's ESLint extension answers (its defaults), per file.
  const settings = {
    validate: 'on',
    packageManager: 'npm',
    useESLintClass: false,
    experimental: {},
    codeAction: {
      disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' },
      showDocumentation: { enable: true },
    },
    codeActionOnSave: { enable: false, mode: 'all' },
    format: false,
    quiet: false,
    onIgnoredFiles: 'off',
    options: {},
    rulesCustomizations: [],
    run: 'onType',
    problems: { shortenToSingleLine: false },
    nodePath: null,
    workspaceFolder,
    workingDirectory: { mode: 'auto' },
  };
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings));
  connection.onRequest('workspace/workspaceFolders', () => [workspaceFolder]);
  connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
    applied.push(params.edit);
    return { applied: true };
  });
  connection.onRequest(() => null);
  connection.onNotification(() => undefined);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: workspaceFolder.uri,
    workspaceFolders: [workspaceFolder],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, applyEdit: true },
      textDocument: {
        publishDiagnostics: {},
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll.eslint', 'source'] } },
        },
      },
    },
  });
  await connection.sendNotification('initialized', {});
}, 60_000);

afterAll(async () => {
  try {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    server.kill();
    rmSync(work, { recursive: true, force: true });
  }
});

describe('vscode-eslint-language-server with the plugin', () => {
  it('reports each rename, offers the fix or the suggestions; each edit parses and clears its report', async () => {
    const file = join(work, 'app.js');
    writeFileSync(file, program);
    const uri = pathToFileURL(file).href;
    let version = 1;
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'javascript', version, text: program },
    });
    const found = (await diagnosticsOf(uri)).filter((d) => codeOf(d) === ruleId);
    expect(found.map((d) => d.range.start)).toEqual([
      { line: 4, character: 0 },
      { line: 9, character: 2 },
    ]);
    const [withFix, withSuggestions] = found as [Diagnostic, Diagnostic];
    // The rename call: line 5 of the file, `renameSync(tmp, 'state.json')`.
    expect(withFix.range.end).toEqual({ line: 4, character: "renameSync(tmp, 'state.json')".length });
    expect(withFix.source).toBe('eslint');
    expect((withFix as { codeDescription?: { href: string } }).codeDescription?.href).toMatch(
      /\/blob\/main\/docs\/rules\/no-unsynced-rename\.md$/,
    );

    const actionsFor = async (diagnostic: Diagnostic): Promise<CodeAction[]> =>
      (await connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], only: ['quickfix'] },
      })) as CodeAction[];
    const fixActions = await actionsFor(withFix);
    const titles = fixActions.map((a) => a.title);
    const fix = fixActions.find((a) => a.title === `Fix this ${ruleId} problem`);
    expect(fix, titles.join('\n')).toBeDefined();
    expect(titles.some((t) => t.startsWith(`Show documentation for ${ruleId}`))).toBe(true);
    const suggestionActions = await actionsFor(withSuggestions);
    const suggestions = suggestionActions.filter((a) => a.command?.command === 'eslint.applySuggestion');
    expect(suggestions.length, suggestionActions.map((a) => a.title).join('\n')).toBeGreaterThan(0);

    // Each edit, applied alone to the original text, parses and clears the report it was offered for.
    for (const [action, diagnostic] of [
      [fix!, withFix],
      ...suggestions.map((s) => [s, withSuggestions] as const),
    ] as const) {
      const edits = await editOf(action, uri);
      expect(edits.length, action.title).toBeGreaterThan(0);
      const fixed = applyEdits(program, edits);
      expect(() => espree.parse(fixed, { ecmaVersion: 'latest', sourceType: 'module' }), action.title).not.toThrow();
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: ++version },
        contentChanges: [{ text: fixed }],
      });
      const after = await diagnosticsOf(uri);
      expect(
        after.filter((d) => d.severity === 1 && codeOf(d) !== ruleId),
        action.title,
      ).toEqual([]);
      expect(
        after.filter((d) => codeOf(d) === ruleId).map((d) => d.message),
        action.title,
      ).not.toContain(diagnostic.message);
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: ++version },
        contentChanges: [{ text: program }],
      });
    }
  }, 60_000);
});
