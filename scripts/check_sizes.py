#!/usr/bin/python3
"""Checks the size limits of the project's code (issue 13): no source file over 600 lines, no function over 60.

A function is a brace block at namespace or class level whose head (the text since the previous ';', '{' or '}')
has a parameter list and is not a class, struct, enum, namespace or initializer; its length runs from the first
line of its head to its closing brace. Lambdas and local classes count toward the function holding them.
Prints one line per breach and exits 1 if there is any. Usage: scripts/check_sizes.py [REPO_DIR] [--max-file N]
[--max-function N]
"""
import os
import re
import sys

from source_tree import cpp_files, verdict

PARTS = ["graph", "models", "kernels", "runtime", "profiler", "tools"]
NOT_A_FUNCTION = re.compile(r"^\s*(namespace|class|struct|union|enum)\b|=\s*$|\bextern\s+\"C\"")


def strip(text):
    """Comments, string and character literals blanked, newlines kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(text):
    """(name, first_line, last_line) of every function body at namespace or class level."""
    text = strip(text)
    found, stack, head_start = [], [], 0  # stack: kinds of the open blocks ("scope" or "function")
    line_of = lambda pos: text.count("\n", 0, pos) + 1
    for pos, c in enumerate(text):
        if c == "{":
            head = text[head_start:pos]
            head = re.sub(r"^\s*#.*$", "", head, flags=re.M)
            inside = any(kind == "function" for kind, _, _ in stack)
            is_function = (not inside and ")" in head and not NOT_A_FUNCTION.search(head)
                           and not re.search(r"\b(if|for|while|switch|catch)\s*\(", head.split("(")[0] + "("))
            start = pos - len(head.lstrip()) if head.strip() else pos
            name = re.findall(r"([~\w:]+)\s*\(", head)
            stack.append(("function" if is_function else "scope", start, name[0] if name else "?"))
            head_start = pos + 1
        elif c == "}":
            if stack:
                kind, start, name = stack.pop()
                if kind == "function":
                    found.append((name, line_of(start), line_of(pos)))
            head_start = pos + 1
        elif c == ";":
            head_start = pos + 1
    return found


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=") for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    max_file, max_function = int(opts.get("max-file", 600)), int(opts.get("max-function", 60))
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), ".."))
    bad, files, funcs = [], 0, 0
    for part in PARTS:
        for rel, path in cpp_files(root, part):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            files += 1
            lines = text.count("\n")
            if lines > max_file:
                bad.append(f"{rel}: {lines} lines (limit {max_file})")
            for fname, first, last in functions(text):
                funcs += 1
                if last - first + 1 > max_function:
                    bad.append(f"{rel}:{first}: {fname}() is {last - first + 1} lines (limit {max_function})")
    return verdict(bad, "check_sizes", f"{len(bad)} breach(es) of the size limits",
                   f"{files} files, {funcs} functions within {max_file} / {max_function} lines")


if __name__ == "__main__":
    sys.exit(main())
