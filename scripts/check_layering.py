#!/usr/bin/python3
"""Checks that every #include "..." of the project's code follows the README's layering (one-way arrows):

  graph/                 -> graph/                (graph/onnx/ excluded: only the importer links protobuf)
  graph/onnx/            -> graph/onnx/, graph/
  models/                -> models/, graph/
  kernels/               -> kernels/, graph/
  runtime/               -> runtime/, kernels/, graph/
  profiler/machine/      -> profiler/machine/, runtime/, kernels/, graph/
  profiler/roofline/     -> profiler/roofline/, profiler/machine/, runtime/, graph/
  profiler/report/       -> profiler/report/, profiler/roofline/, profiler/machine/, graph/, and runtime/'s
                            oneDNN-free report types (step_report.h, stats.h, os_counters.h, topology.h)
  profiler/experiments/  -> profiler/experiments/, profiler/report/, profiler/roofline/, profiler/machine/, runtime/,
                            kernels/, models/, graph/
  api/                   -> api/, roofscope/ (include/roofscope/), profiler/, runtime/, kernels/, models/, graph/onnx/,
                            graph/
  include/, python/, examples/ -> roofscope/ only (the public headers: no internal header leaks into the package)
  tools/, tests/, bench/ may include anything.
Also, following the project's includes transitively, graph/, models/ and profiler/report/ never reach oneDNN
(<dnnl*.hpp>, <oneapi/dnnl/...>): the reporters read plain data.

Prints one line per include against the arrows and exits 1 if there is any, else prints a summary and exits 0.
Usage: scripts/check_layering.py [REPO_DIR]
"""
import os
import re
import sys

from source_tree import cpp_files, verdict

ALLOWED = {
    "graph/onnx": ["graph/onnx/", "graph/"],
    "graph": ["graph/"],
    "models": ["models/", "graph/"],
    "kernels": ["kernels/", "graph/"],
    "runtime": ["runtime/", "kernels/", "graph/"],
    "profiler/machine": ["profiler/machine/", "runtime/", "kernels/", "graph/"],
    "profiler/roofline": ["profiler/roofline/", "profiler/machine/", "runtime/", "graph/"],
    "profiler/report": ["profiler/report/", "profiler/roofline/", "profiler/machine/", "graph/",
                        "runtime/step_report.h", "runtime/stats.h", "runtime/os_counters.h", "runtime/topology.h"],
    "profiler/experiments": ["profiler/experiments/", "profiler/report/", "profiler/roofline/", "profiler/machine/",
                             "runtime/", "kernels/", "models/", "graph/"],
    "api": ["api/", "roofscope/", "profiler/", "runtime/", "kernels/", "models/", "graph/onnx/", "graph/"],
    "include": ["roofscope/"],
    "python": ["roofscope/"],
    "examples": ["roofscope/"],
}
DNNL_FREE = ["graph", "models", "profiler/report"]
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s+<([^>]+)>')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def part_of(rel):
    for part in sorted(ALLOWED, key=len, reverse=True):  # graph/onnx before graph
        if rel.startswith(part + "/"):
            return part
    return None


def includes(root, rel, memo):
    """(project includes, system includes) of file `rel`, read once."""
    if rel not in memo:
        path = os.path.join(root, rel)
        project, system = [], []
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    m = INCLUDE.match(line)
                    if m:
                        project.append(m.group(1))
                    m = SYSTEM_INCLUDE.match(line)
                    if m:
                        system.append(m.group(1))
        memo[rel] = (project, system)
    return memo[rel]


def dnnl_reached(root):
    """One line per file of a oneDNN-free part that reaches a oneDNN header, with the include chain."""
    bad, memo = [], {}
    for part in DNNL_FREE:
        for rel, _ in cpp_files(root, part):
            if part_of(rel) != part:
                continue
            seen, todo = {rel: [rel]}, [rel]
            while todo:
                cur = todo.pop()
                project, system = includes(root, cur, memo)
                hit = [s for s in system if s.startswith(("dnnl", "oneapi/dnnl"))]
                if hit:
                    bad.append(f"{rel}: {part}/ must not reach <{hit[0]}> (via {' -> '.join(seen[cur])})")
                    break
                for p in project:
                    if p not in seen:
                        seen[p] = seen[cur] + [p]
                        todo.append(p)
    return bad


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    bad, checked = [], 0
    for part in ALLOWED:
        for rel, path in cpp_files(root, part):
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
                    if "graph/onnx/" not in ALLOWED[part]:  # only the importer and the API reach it
                        ok = ok and not target.startswith("graph/onnx/")
                    if not ok:
                        bad.append(f"{rel}:{number}: {part}/ must not include \"{target}\"")
    bad += dnnl_reached(root)
    return verdict(bad, "check_layering",
                   f"{len(bad)} include(s) against the layering (see the README, 'Layout of the code')",
                   f"{checked} includes follow the layering")


if __name__ == "__main__":
    sys.exit(main())
