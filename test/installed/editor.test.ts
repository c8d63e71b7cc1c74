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
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node.js';
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

const program = `import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const tmp = 'state.json.tmp';
writeFileSync(tmp, JSON.stringify({ saved: true }));
renameSync(tmp, 'state.json');
console.log(readFileSync('state.json', 'utf8'));
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
  return sorted.reduce((out, e) => out.slice(0, offsetAt(out, e.range.start)) + e.newText + out.slice(offsetAt(out, e.range.end)), text);
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
  const report = (await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { kind: string; items: Diagnostic[] };
  return report.items;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'durable-write-editor-'));
  symlinkSync(join(repositoryRoot, 'node_modules'), join(work, 'node_modules'));
  writeFileSync(join(work, 'package.json'), '{ "name": "editor-app", "private": true, "type": "module" }\n');
  const plugin = pathToFileURL(join(repositoryRoot, 'dist', 'src', 'index.js')).href;
  writeFileSync(join(work, 'eslint.config.mjs'), `import durableWrite from ${JSON.stringify(plugin)};\n\nexport default [durableWrite.configs.recommended];\n`);

  const require = createRequire(import.meta.url);
  const bin = join(require.resolve('vscode-langservers-extracted/package.json'), '..', 'bin', 'vscode-eslint-language-server');
  server = spawn(process.execPath, [bin, '--stdio'], { cwd: work, stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const workspaceFolder = { uri: pathToFileURL(work).href, name: 'editor-app' };
  // What VS Code's ESLint extension answers (its defaults), per file.
  const settings = {
    validate: 'on',
    packageManager: 'npm',
    useESLintClass: false,
    experimental: {},
    codeAction: { disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' }, showDocumentation: { enable: true } },
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
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll.eslint', 'source'] } } },
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
  it('reports the rename, offers the fix and the suggestions; the fixed file parses and is clean', async () => {
    const file = join(work, 'app.js');
    writeFileSync(file, program);
    const uri = pathToFileURL(file).href;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text: program } });
    const found = (await diagnosticsOf(uri)).filter((d) => codeOf(d) === ruleId);
    expect(found).toHaveLength(1);
    const [diagnostic] = found as [Diagnostic];
    // The rename call: line 5 of the file, `renameSync(tmp, 'state.json')`.
    expect(diagnostic.range).toEqual({ start: { line: 4, character: 0 }, end: { line: 4, character: 'renameSync(tmp, \'state.json\')'.length } });
    expect(diagnostic.source).toBe('eslint');
    expect((diagnostic as { codeDescription?: { href: string } }).codeDescription?.href).toMatch(/\/blob\/main\/docs\/rules\/no-unsynced-rename\.md$/);

    const actions = (await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === `Fix this ${ruleId} problem`);
    expect(fix, titles.join('\n')).toBeDefined();
    const suggestions = actions.filter((a) => a.command?.command === 'eslint.applySuggestion');
    expect(suggestions.length, titles.join('\n')).toBeGreaterThan(0);
    expect(titles.some((t) => t.startsWith(`Show documentation for ${ruleId}`))).toBe(true);

    for (const action of [fix!, ...suggestions]) {
      const edits = await editOf(action, uri);
      expect(edits.length, action.title).toBeGreaterThan(0);
      const fixed = applyEdits(program, edits);
      expect(() => espree.parse(fixed, { ecmaVersion: 'latest', sourceType: 'module' }), action.title).not.toThrow();
    }

    const fixedText = applyEdits(program, await editOf(fix!, uri));
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixedText }] });
    // Nothing left: neither the finding nor a parse error (severity 1).
    expect((await diagnosticsOf(uri)).filter((d) => d.severity === 1 || codeOf(d) === ruleId)).toEqual([]);
  }, 60_000);
});
