// Generated stress inputs for the rule: shapes that grow with file size or nesting depth. Each
// returns the source text and how many unsynced renames it holds (when ESLint can parse it).
const save = (name) =>
  `function ${name}(p, d) {\n  fs.writeFileSync(p + '.tmp', d);\n  fs.renameSync(p + '.tmp', p);\n}\n`;

/** A webpack-style bundle: `modules` wrapped modules of ~10 lines; every `every`-th holds a bug. */
export function bundle(lines, every) {
  const out = ['(function (modules) {', "  const fs = require('fs');"];
  let findings = 0;
  for (let i = 0; out.length < lines; i++) {
    out.push(`  modules[${i}] = function (module, exports, require) {`);
    if (i % every === 0) {
      out.push(
        ...save(`save${i}`)
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`),
      );
      findings++;
    } else {
      out.push(
        `    var a${i} = { x: ${i},`,
        '      y: [1, 2, 3],',
        "      z: 'text' };",
        `    exports.f${i} = function () { return a${i}.x + 1; };`,
      );
    }
    out.push('  };');
  }
  out.push('})({});');
  return { text: out.join('\n'), findings };
}

/** `const s = 'a0' + 'a1' + …` with `terms` terms, then one bug. */
export function concatenation(terms) {
  const sum = Array.from({ length: terms }, (_, i) => `'a${i}'`).join(' + ');
  return { text: `const fs = require('fs');\nconst s = ${sum};\n${save('save')}`, findings: 1 };
}

/** `depth` nested callbacks with a bug in the innermost one. */
export function nestedCallbacks(depth) {
  const open = 'f(function () {\n'.repeat(depth);
  const close = '});\n'.repeat(depth);
  return { text: `const fs = require('fs');\n${open}${save('save')}save(a, b);\n${close}`, findings: 1 };
}

/** `depth` nested `if` blocks around a write and a rename. */
export function ifChain(depth) {
  let text = "const fs = require('fs');\n";
  for (let i = 0; i < depth; i++) text += `if (c${i}) {\n`;
  text += "fs.writeFileSync(p + '.tmp', d);\nfs.renameSync(p + '.tmp', p);\n";
  text += '}\n'.repeat(depth);
  return { text, findings: 1 };
}

/** Minified-style: one line of about `bytes` bytes with a bug every `every` functions. */
export function singleLine(bytes, every) {
  const parts = ["const fs = require('fs');"];
  let size = parts[0].length;
  let findings = 0;
  for (let i = 0; size < bytes; i++) {
    const part =
      i % every === 0
        ? (findings++, save(`s${i}`).replace(/\n\s*/g, ' '))
        : `function g${i}(a){return a.map(function(x){return x*${i}}).filter(Boolean)}`;
    parts.push(part);
    size += part.length;
  }
  return { text: parts.join(''), findings };
}
