"""Checks the documentation against the repository and the built contracts:
every relative link in README.md and docs/ resolves (file and heading),
every message a reference table names exists in the contract's metadata, and
docs/REFERENCE.md is what scripts/reference.py generates from that metadata.

    python3 scripts/check_docs.py INK_DIR
"""
import json
import os
import re
import sys

import reference

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# A reference row starts with the message: `name(...)`, maybe `a(..)` / `b(..)`.
ROW = re.compile(r"^\| `([a-z_]+)\(")
ALSO = re.compile(r"/ `([a-z_]+)\(")
# Which reference section documents which contract.
SECTIONS = {"## Broker reference": "broker", "## Community reference": "community"}


def markdown_files():
    files = [os.path.join(ROOT, "README.md")]
    docs = os.path.join(ROOT, "docs")
    if os.path.isdir(docs):
        files += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    return files


def slug(heading):
    """GitHub's anchor for a heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    with open(path) as f:
        return {slug(line.lstrip("#")) for line in f if line.startswith("#")}


def broken_links(path):
    problems = []
    with open(path) as f:
        text = f.read()
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
        if not os.path.exists(linked):
            problems.append(f"{target}: no such file")
        elif anchor and linked.endswith(".md") and anchor not in anchors(linked):
            problems.append(f"{target}: no such heading")
    return problems


def referenced_messages(path):
    """(contract, message) for each message a reference table names."""
    contract = None
    with open(path) as f:
        for line in f:
            if line.startswith("## "):
                contract = SECTIONS.get(line.strip())
            if contract and ROW.match(line):
                first_cell = line.split("|")[1]
                for name in [ROW.match(line).group(1)] + ALSO.findall(first_cell):
                    yield contract, name


def metadata_labels(ink_dir, contract):
    with open(os.path.join(ink_dir, contract, f"{contract}.json")) as f:
        spec = json.load(f)["spec"]
    return {item["label"] for kind in ("constructors", "messages") for item in spec[kind]}


def main(ink_dir):
    problems = []
    for path in markdown_files():
        relative = os.path.relpath(path, ROOT)
        problems += [f"{relative}: {p}" for p in broken_links(path)]
        labels = {}
        for contract, name in referenced_messages(path):
            if contract not in labels:
                labels[contract] = metadata_labels(ink_dir, contract)
            if name not in labels[contract]:
                problems.append(f"{relative}: the {contract} reference names `{name}`, which its metadata lacks")
    with open(reference.OUTPUT) as f:
        if f.read() != reference.render(ink_dir):
            problems.append(
                "docs/REFERENCE.md is stale: run python3 scripts/reference.py \"$CARGO_TARGET_DIR/ink\""
            )
    for problem in problems:
        print(f"docs: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
