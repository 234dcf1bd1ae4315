#!/usr/bin/env python3
"""Names a split contract's argument types in a bundle's metadata as the
types they stand for: the broker and the community write them `cold::T` and
`hot::T` (common/src/split.rs), and ink! names an argument's type by the path in the
signature. Drops that leading `cold` or `hot` from every display name; a
bundle without one is left as it is.

    python3 scripts/split_type_names.py BUNDLE.json BUNDLE.contract ...
"""
import json
import sys


# The modules of common/src/split.rs's `argument_types!`.
SPLIT_MODULES = ("cold", "hot")


def renamed(node):
    """Shortens every `displayName` in `node` that starts with a split
    module; returns how many it shortened."""
    count = 0
    if isinstance(node, dict):
        names = node.get("displayName")
        if isinstance(names, list) and len(names) > 1 and names[0] in SPLIT_MODULES:
            node["displayName"] = names[1:]
            count += 1
        for value in node.values():
            count += renamed(value)
    elif isinstance(node, list):
        for value in node:
            count += renamed(value)
    return count


def main(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            metadata = json.load(f)
        if not renamed(metadata):
            continue
        # Written as cargo-contract writes each: the .json indented, the
        # .contract compact, neither with a final newline.
        if path.endswith(".json"):
            text = json.dumps(metadata, indent=2, ensure_ascii=False)
        else:
            text = json.dumps(metadata, separators=(",", ":"), ensure_ascii=False)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
