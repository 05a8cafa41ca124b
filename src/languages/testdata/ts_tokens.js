// The independent judge of the TypeScript round trip (src/languages/typescript_test.cc): the
// TypeScript compiler's own parser, not tree-sitter, says whether a patched file is the same
// program as the original. For each pair it parses both files (ts.createSourceFile), lists the
// leaf tokens of the syntax tree as kind + text (comments are trivia there; JSDoc nodes, which the
// compiler attaches to declarations, are left out) and compares the lists and the number of parse
// diagnostics.
//
// Usage: node ts_tokens.js <typescript module dir> <list file>
//   The list file has one pair a line: "<original path>\t<patched path>\t<label>".
//   Prints "ok <pairs>" and exits 0 when every pair matches, else one "DIFF <label>: ..." line per
//   mismatch and exits 1.
'use strict';

const fs = require('fs');

const ts = require(process.argv[2]);

function scriptKind(label) {
  if (/\.tsx$/i.test(label)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(label)) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/i.test(label)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function isJsDoc(kind) {
  return kind >= ts.SyntaxKind.FirstJSDocNode && kind <= ts.SyntaxKind.LastJSDocNode;
}

// Leaf tokens in source order. Iterative: generated declaration files nest deeply.
function tokens(label, text) {
  const sf = ts.createSourceFile(label, text, ts.ScriptTarget.Latest, true, scriptKind(label));
  const out = [];
  const stack = [sf];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isJsDoc(node.kind)) continue;
    const children = node.getChildren(sf);
    if (children.length === 0) {
      out.push(ts.SyntaxKind[node.kind] + ' ' + node.getText(sf));
    } else {
      for (let i = children.length - 1; i >= 0; --i) stack.push(children[i]);
    }
  }
  return { tokens: out, errors: sf.parseDiagnostics.length };
}

function compare(label, original, patched) {
  const a = tokens(label, original);
  const b = tokens(label, patched);
  if (b.errors > a.errors) return `${b.errors - a.errors} new parse diagnostics`;
  const n = Math.min(a.tokens.length, b.tokens.length);
  for (let i = 0; i < n; ++i) {
    if (a.tokens[i] !== b.tokens[i]) return `token ${i}: '${a.tokens[i]}' became '${b.tokens[i]}'`;
  }
  if (a.tokens.length !== b.tokens.length) return `${a.tokens.length} tokens became ${b.tokens.length}`;
  return '';
}

const pairs = fs.readFileSync(process.argv[3], 'utf8').split('\n').filter((line) => line.length > 0);
let failures = 0;
for (const line of pairs) {
  const [originalPath, patchedPath, label] = line.split('\t');
  const problem = compare(label, fs.readFileSync(originalPath, 'utf8'), fs.readFileSync(patchedPath, 'utf8'));
  if (problem) {
    ++failures;
    console.log(`DIFF ${label}: ${problem}`);
  }
}
console.log(failures === 0 ? `ok ${pairs.length}` : `${failures} of ${pairs.length} differ`);
process.exit(failures === 0 ? 0 : 1);
