"""Prints each bundle's path and optimized wasm size, and checks its metadata:
the PSP22 standard selectors other tools rely on, a doc comment on every
constructor and message (Contracts UI shows them to users), and that the
broker and the community each answer the same messages over the same storage
as their library (common/src/split.rs)."""
import hashlib
import json
import os
import sys

STANDARD_PSP22 = {
    "PSP22::transfer": "0xdb20f9f5",
    "PSP22::transfer_from": "0x54b3c76e",
    "PSP22::approve": "0xb20f1bbd",
    "PSP22::balance_of": "0x6568382f",
}


def undocumented(metadata):
    """The labels of constructors and messages whose docs are empty."""
    spec = metadata["spec"]
    return [
        f"{kind} {item['label']}"
        for kind in ("constructors", "messages")
        for item in spec[kind]
        if not "".join(item.get("docs", [])).strip()
    ]


def split_named(metadata):
    """The message arguments whose type is still named by a split contract's
    `cold::` or `hot::` path (scripts/split_type_names.py renames them)."""
    return [
        f"{m['label']}({a['label']})"
        for m in metadata["spec"]["messages"]
        for a in m["args"]
        if a["type"].get("displayName", [])[:1] in (["cold"], ["hot"])
    ]


def check(contract, metadata):
    """The problems found in one bundle's metadata."""
    problems = [f"{label} has no doc comment" for label in undocumented(metadata)]
    problems += [f"{arg} is typed by a split module's path, not by its own type's name"
                 for arg in split_named(metadata)]
    if contract == "psp22_mock":
        selectors = {m["label"]: m["selector"] for m in metadata["spec"]["messages"]}
        for label, selector in STANDARD_PSP22.items():
            if selectors.get(label) != selector:
                problems.append(f"{label} has selector {selectors.get(label)}, expected {selector}")
    return problems


def interface(metadata):
    """What a library must share with its contract: each message's selector,
    arguments and answer, the storage layout and the events, by name."""
    spec = metadata["spec"]
    messages = {
        m["label"]: (m["selector"], m["mutates"], m["payable"],
                     [(a["label"], a["type"]["displayName"]) for a in m["args"]],
                     m["returnType"]["displayName"])
        for m in spec["messages"]
    }
    events = sorted((e["label"], e.get("signature_topic")) for e in spec["events"])
    return messages, json.dumps(metadata["storage"], sort_keys=True), events


# The contracts built as a hot bundle and a library (common/src/split.rs).
SPLIT_CONTRACTS = ("broker", "community")


# The messages only a library has: the hot build hands its `migrate_storage`
# to this one, with its library's code hash.
LIBRARY_ONLY = ("pin_and_migrate",)


def split_problems(contract, library):
    """How a library's interface differs from its contract's."""
    (messages, storage, events), (lib_messages, lib_storage, lib_events) = (
        interface(contract), interface(library))
    problems = [f"the contract answers {label}, which only the library may"
                for label in LIBRARY_ONLY if label in messages]
    problems += [f"the library lacks {label}"
                 for label in LIBRARY_ONLY if label not in lib_messages]
    # The hot build sends it by the selector its name gives, with a code
    # hash: no custom selector, no other argument, no message of the
    # contract's under that selector.
    for label in LIBRARY_ONLY:
        if label in lib_messages:
            selector, _, _, arguments, _ = lib_messages[label]
            derived = "0x" + hashlib.blake2b(label.encode(), digest_size=32).digest()[:4].hex()
            if selector != derived:
                problems.append(f"the library's {label} has selector {selector}, not {derived}")
            if arguments != [("library", ["Hash"])]:
                problems.append(f"the library's {label} takes {arguments}, not one Hash")
            if any(message[0] == selector for message in messages.values()):
                problems.append(f"a contract message has {label}'s selector {selector}")
    lib_messages = {label: message for label, message in lib_messages.items()
                    if label not in LIBRARY_ONLY}
    problems += [f"message {label} differs in the library"
                 for label in sorted(set(messages) | set(lib_messages))
                 if messages.get(label) != lib_messages.get(label)]
    if storage != lib_storage:
        problems.append("the library's storage layout differs")
    if events != lib_events:
        problems.append("the library's events differ")
    return problems


def main(ink_dir, contracts):
    failed = False
    loaded = {}
    for contract in contracts:
        name = contract.replace("-", "_")
        bundle = os.path.join(ink_dir, name, f"{name}.contract")
        wasm = os.path.join(ink_dir, name, f"{name}.wasm")
        with open(bundle) as f:
            metadata = json.load(f)
        for problem in check(name, metadata):
            print(f"bundle: {name}: {problem}")
            failed = True
        print(f"{name:14} {os.path.getsize(wasm):>7} bytes wasm  {bundle}")
        loaded[name] = metadata
    for name in SPLIT_CONTRACTS:
        library = f"{name}_library"
        if name in loaded and library in loaded:
            for problem in split_problems(loaded[name], loaded[library]):
                print(f"bundle: {library}: {problem}")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
