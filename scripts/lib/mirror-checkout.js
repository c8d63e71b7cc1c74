// The source of a project at a release tag, from a local bare git mirror (the `fetch` tool's layout:
// <mirrors>/<owner>+<repo>/repo), for the scripts that run real projects (check- and trace-real-projects).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Replaces `dir` with the tree of `mirror` at `tag`. */
export function checkoutMirror(mirrors, mirror, tag, dir) {
  const repo = path.join(mirrors, mirror, 'repo');
  if (!fs.existsSync(repo))
    throw new Error(`no mirror of ${mirror} at ${repo}: fetch github:${mirror.replace('+', '/')} first`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${repo}" archive ${tag} | tar -x -C "${dir}"`]);
}
