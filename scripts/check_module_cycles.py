#!/usr/bin/env python3
"""Fails if a crate's top-level modules import each other in a cycle.

A module's imports are the `crate::<module>` paths in its files (tests
left out), and for a top-level module's own files `super::<module>`.
`crate::Error` counts as the `error` module, which defines it. Usage:
check_module_cycles.py SRC_DIR...
"""
import os
import re
import sys

TEST_MODULE = re.compile(r"#\[cfg\(test\)\]\s*mod tests \{.*", re.S)
USE_GROUP = re.compile(r"use crate::\{([^;]*)\};", re.S)
GROUP_ITEM = re.compile(r"(?:^|[,{\s])(\w+)(?=::|\s*[,}]|$)")


def top_module(src, path):
    parts = os.path.relpath(path, src)[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


def imports(src):
    edges = {}
    for folder, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            parts = top_module(src, path)
            if "tests" in parts:
                continue
            module = parts[0] if parts else "crate"
            text = TEST_MODULE.sub("", open(path, encoding="utf-8").read())
            targets = set(re.findall(r"crate::(\w+)", text))
            for group in USE_GROUP.findall(text):
                targets.update(GROUP_ITEM.findall(group))
            if len(parts) == 1:
                targets.update(re.findall(r"super::(\w+)", text))
            for target in targets:
                target = "error" if target == "Error" else target
                if target not in (module, "self"):
                    edges.setdefault(module, set()).add(target)
    return edges


def cycle(edges):
    """One cycle as a list of modules, or None."""
    def visit(module, path):
        for target in sorted(edges.get(module, ())):
            if target in path:
                return path[path.index(target):] + [target]
            found = visit(target, path + [target])
            if found:
                return found
        return None

    for module in sorted(edges):
        found = visit(module, [module])
        if found:
            return found
    return None


def main(sources):
    failed = False
    for src in sources:
        found = cycle(imports(src))
        if found:
            print(f"{src}: modules import each other in a cycle: {' -> '.join(found)}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
