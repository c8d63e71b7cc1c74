/**
 * Unified diffs for the dry run: Myers' O(ND) line diff (the rewrites change few lines of big
 * files), printed with three lines of context like `git diff`.
 */
type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

const splitLines = (text: string): string[] => {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const max = a.length + b.length;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Array<Map<number, number>> = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= a.length && y >= b.length) break outer;
    }
  }
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] as Map<number, number>;
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? -1) < (vd.get(k + 1) ?? -1)) ? k + 1 : k - 1;
    const prevX = vd.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x] as string, a: x, b: --y });
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y] as string, a: x, b: y });
      else ops.push({ kind: '-', line: a[--x] as string, a: x, b: y });
    }
  }
  return ops.reverse();
}

/** `git diff`-style text; empty when the texts are equal. `\r` stays visible at line ends. */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = myers(splitLines(before), splitLines(after));
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]?.kind === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2 × context unchanged lines.
    for (let j = i; j < ops.length; j++) {
      if (ops[j]?.kind !== ' ') end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const hunk = ops.slice(start, stop);
    const first = hunk[0] as Op;
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${first.a + (aCount ? 1 : 0)},${aCount} +${first.b + (bCount ? 1 : 0)},${bCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
    i = stop;
  }
  return `${out.join('\n')}\n`;
}
