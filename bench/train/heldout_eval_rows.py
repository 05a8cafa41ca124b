#!/usr/bin/env python3
"""Writes `scale eval` rows (CodeSearchNet layout) for the held-out files of a harvest.

The stories260K proof in docs/training.md trains on the "train" rows of
`scale distill --harvest` and scores base vs base+adapter on routines of the files the harvest
held out (split by file, so no held-out routine's file was seen in training). Each row is a
function or method with its docstring (scale eval removes it: it is the reference).
Deterministic: files and routines in order, the first --limit that fit the bounds.

    python3 bench/train/heldout_eval_rows.py stdlib.jsonl /usr/lib/python3.11 --limit 200 > eval.jsonl
"""
import argparse
import ast
import json
import pathlib
import sys
import textwrap


def held_out_files(harvest):
    files = set()
    with open(harvest, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("split") == "eval":
                files.add(row["meta"]["source"])
    return sorted(files)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("harvest")
    ap.add_argument("root")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--max-code", type=int, default=1500)
    ap.add_argument("--min-doc", type=int, default=16)
    args = ap.parse_args()
    n = 0
    for source in held_out_files(args.harvest):
        text = (pathlib.Path(args.root) / source).read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            doc = ast.get_docstring(node)
            code = ast.get_source_segment(text, node, padded=True)
            if not doc or not code or len(doc) < args.min_doc or len(code) > args.max_code:
                continue
            code = textwrap.dedent(code)
            print(json.dumps({"code": code, "docstring": doc, "language": "python",
                              "path": source, "func_name": node.name}))
            n += 1
            if n >= args.limit:
                return
    if n == 0:
        sys.exit("no held-out routines found")


if __name__ == "__main__":
    main()
