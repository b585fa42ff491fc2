#!/usr/bin/python3
"""Checks that every #include "..." of the project's code follows the README's layering (one-way arrows):

  graph/        -> graph/                         (graph/onnx/ excluded: only the importer links protobuf)
  graph/onnx/   -> graph/, graph/onnx/
  models/       -> models/, graph/
  kernels/      -> kernels/, graph/
  runtime/      -> runtime/, kernels/, graph/
  profiler/     -> profiler/, runtime/, kernels/, graph/, models/
  tools/, tests/, bench/ may include anything.

Prints one line per include against the arrows and exits 1 if there is any, else prints a summary and exits 0.
Usage: scripts/check_layering.py [REPO_DIR]
"""
import os
import re
import sys

ALLOWED = {
    "graph/onnx": ["graph/onnx/", "graph/"],
    "graph": ["graph/"],
    "models": ["models/", "graph/"],
    "kernels": ["kernels/", "graph/"],
    "runtime": ["runtime/", "kernels/", "graph/"],
    "profiler": ["profiler/", "runtime/", "kernels/", "graph/", "models/"],
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def part_of(rel):
    for part in sorted(ALLOWED, key=len, reverse=True):  # graph/onnx before graph
        if rel.startswith(part + "/"):
            return part
    return None


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    bad, checked = [], 0
    for part in ALLOWED:
        for dirpath, _, files in os.walk(os.path.join(root, part)):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if part_of(rel) != part:
                    continue
                with open(path, encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        checked += 1
                        target = m.group(1)
                        ok = any(target.startswith(p) for p in ALLOWED[part])
                        if part == "graph" or part in ("models", "kernels", "runtime", "profiler"):
                            ok = ok and not target.startswith("graph/onnx/")
                        if not ok:
                            bad.append(f"{rel}:{number}: {part}/ must not include \"{target}\"")
    for line in bad:
        print(line)
    if bad:
        print(f"check_layering: {len(bad)} include(s) against the layering (see the README, 'Layout of the code')")
        return 1
    print(f"check_layering: {checked} includes follow the layering")
    return 0


if __name__ == "__main__":
    sys.exit(main())
