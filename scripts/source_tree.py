"""Shared by scripts/check_layering.py and scripts/check_sizes.py: the project's C++ files below a part, and the
check's verdict."""
import os


def cpp_files(root, part):
    """(rel, path) of every .h and .cpp file below root/part: rel relative to root, folders in os.walk order, the
    names in each sorted."""
    for dirpath, _, names in os.walk(os.path.join(root, part)):
        for name in sorted(names):
            if name.endswith((".h", ".cpp")):
                path = os.path.join(dirpath, name)
                yield os.path.relpath(path, root), path


def verdict(bad, check, failed, passed):
    """Prints one line per breach in `bad`, then "<check>: <failed>" and returns 1 if there is any, else prints
    "<check>: <passed>" and returns 0 (the exit status)."""
    for line in bad:
        print(line)
    if bad:
        print(f"{check}: {failed}")
        return 1
    print(f"{check}: {passed}")
    return 0
