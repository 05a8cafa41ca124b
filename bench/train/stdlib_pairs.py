#!/usr/bin/env python3
"""Writes (routine, docstring) training rows from this machine's Python standard library.

Used for the stories260K proof in docs/training.md: each row is a function whose docstring was
removed (the prompt) and the first paragraph of that docstring (the answer), in scale train's
"prompt" form. Deterministic: files sorted, the first --limit rows that fit the length bounds.

    python3 bench/train/stdlib_pairs.py --limit 400 > stdlib.jsonl
"""
import argparse
import ast
import json
import pathlib
import sys
import sysconfig


def rows(root, max_code, max_doc):
    for path in sorted(pathlib.Path(root).rglob("*.py")):
        if any(part in ("test", "tests", "idlelib", "site-packages", "lib2to3") for part in path.parts):
            continue
        try:
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            doc = ast.get_docstring(node)
            if not doc or not node.body or len(node.body) < 2:
                continue
            answer = doc.strip().split("\n\n")[0].strip()
            if len(answer) < 20 or len(answer) > max_doc or "TODO" in answer:
                continue
            lines = text.splitlines()
            first = node.lineno - 1
            body0 = node.body[0]  # the docstring expression
            code = lines[first:body0.lineno - 1] + lines[body0.end_lineno:node.end_lineno]
            routine = "\n".join(code)
            if len(routine) > max_code:
                continue
            yield {"prompt": "Routine:\n" + routine + "\nComment:\n", "answer": answer,
                   "meta": {"source": str(path.relative_to(root)), "line": node.lineno}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--limit", type=int, default=400)
    ap.add_argument("--max-code", type=int, default=500)
    ap.add_argument("--max-doc", type=int, default=160)
    args = ap.parse_args()
    n = 0
    for row in rows(args.root, args.max_code, args.max_doc):
        sys.stdout.write(json.dumps(row) + "\n")
        n += 1
        if n >= args.limit:
            break


if __name__ == "__main__":
    main()
