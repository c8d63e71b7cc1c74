/** `durable-write check [paths…]`: lint with `no-unsynced-rename`, zero config. */
import { ExitCode, parseOptions, type Command } from './command.js';
import { require, resolvePeer } from './dependencies.js';
import { listFiles } from './files.js';

const usage = `Usage: durable-write check [paths…] [options]

Lints JS/TS files with durable-write/no-unsynced-rename, zero config.

Options:
  --format <name>  stylish (default) or json
  -h, --help       this text`;

async function check(paths: string[], format: string, cwd: string): Promise<number> {
  const { ESLint } = await import('eslint');
  const { default: plugin } = await import('../../src/index.js');
  const files = listFiles(paths, cwd);
  const hasTypeScript = files.some((f) => /\.[cm]?tsx?$/.test(f));
  const tsFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    errorOnUnmatchedPattern: false,
    overrideConfig: [
      { files: ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs', ...tsFiles] },
      ...(hasTypeScript ? [{ files: tsFiles, languageOptions: { parser: require(resolvePeer('@typescript-eslint/parser', cwd)) } }] : []),
      { files: ['**/*.jsx', '**/*.js'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
      { files: ['**/*.tsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
      { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
      { linterOptions: { reportUnusedDisableDirectives: 'off' } },
      plugin.configs.strict,
    ],
  });
  const results = files.length ? await eslint.lintFiles(files) : [];
  const formatter = await eslint.loadFormatter(format);
  process.stdout.write(await formatter.format(results));
  if (format !== 'json') process.stderr.write(`durable-write: checked ${files.length} files\n`);
  return results.some((r) => r.errorCount > 0 || r.fatalErrorCount > 0) ? ExitCode.findings : ExitCode.clean;
}

export const checkCommand: Command = {
  summary: 'report every write + rename without an fsync (a CI gate: exit 1 on findings)',
  usage,
  async run(argv, cwd) {
    const { values, positionals } = parseOptions(argv, {
      format: { type: 'string', default: 'stylish' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return ExitCode.clean;
    }
    return check(positionals.length ? positionals : ['.'], values.format as string, cwd);
  },
};
