// `npm run demo`: the main job on the bundled examples. `durable-write check` lints them with the rule
// (buggy ones are reported, correct ones are not), then `durable-write fix` shows as a dry run what the
// codemod would rewrite and what it leaves for review. Nothing is written.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/codemods/cli.js', import.meta.url));

function run(title, args, expected) {
  console.log(`\n$ durable-write ${args.join(' ')}    # ${title}`);
  const { status } = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (!expected.includes(status)) {
    console.error(`durable-write ${args[0]} exited ${status}, expected ${expected.join(' or ')}`);
    process.exitCode = 1;
  }
}

// `check` exits 1 because the buggy examples have findings: that is the point of the demo.
run('lint the examples with the rule', ['check', 'examples'], [1]);
run('what the codemod would change (dry run)', ['fix', 'examples'], [0]);
