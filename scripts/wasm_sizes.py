#!/usr/bin/env python3
"""What a contract's Wasm bytes go to: the size of each section, and the
largest functions of the code section by name (names come from a build with
`--keep-debug-symbols`; a stripped build shows function indices).

    python3 scripts/wasm_sizes.py FILE.wasm [--top N] [--json]
"""
import json
import sys

SECTIONS = {
    0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
    6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data",
    12: "data count",
}


def leb(data, at):
    """An unsigned LEB128 number at `at`: (value, next offset)."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def sections(data):
    if data[:4] != b"\0asm":
        raise SystemExit("not a Wasm module")
    at = 8
    while at < len(data):
        kind = data[at]
        size, body = leb(data, at + 1)
        yield kind, data[body:body + size], body - at + size
        at = body + size


def imported_functions(body):
    count, at = leb(body, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            length, at = leb(body, at)
            at += length
        kind = body[at]
        at += 1
        if kind == 0:  # function: a type index
            _, at = leb(body, at)
            functions += 1
        elif kind == 1:  # table: element type and limits
            at += 1
            flags, at = leb(body, at)
            _, at = leb(body, at)
            if flags & 1:
                _, at = leb(body, at)
        elif kind == 2:  # memory: limits
            flags, at = leb(body, at)
            _, at = leb(body, at)
            if flags & 1:
                _, at = leb(body, at)
        elif kind == 3:  # global: value type and mutability
            at += 2
    return functions


def function_names(body):
    at, names = 0, {}
    length, at = leb(body, at)
    if body[at:at + length] != b"name":
        return names
    at += length
    while at < len(body):
        sub, at = body[at], at + 1
        size, at = leb(body, at)
        end = at + size
        if sub == 1:
            count, cursor = leb(body, at)
            for _ in range(count):
                index, cursor = leb(body, cursor)
                length, cursor = leb(body, cursor)
                names[index] = body[cursor:cursor + length].decode("utf-8", "replace")
                cursor += length
        at = end
    return names


def analyse(path):
    data = open(path, "rb").read()
    parts, imports, names, bodies = {}, 0, {}, []
    for kind, body, size in sections(data):
        name = SECTIONS.get(kind, f"section {kind}")
        if kind == 0:
            length, at = leb(body, 0)
            name = "custom: " + body[at:at + length].decode("utf-8", "replace")
            if name == "custom: name":
                names = function_names(body)
        parts[name] = parts.get(name, 0) + size
        if kind == 2:
            imports = imported_functions(body)
        if kind == 10:
            count, at = leb(body, 0)
            for _ in range(count):
                length, start = leb(body, at)
                bodies.append(start - at + length)
                at = start + length
    functions = [
        (size, names.get(imports + i, f"function[{imports + i}]"))
        for i, size in enumerate(bodies)
    ]
    functions.sort(reverse=True)
    return len(data), parts, functions


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    top = int(args[args.index("--top") + 1]) if "--top" in args else 25
    total, parts, functions = analyse(args[0])
    if "--json" in args:
        print(json.dumps({
            "bytes": total,
            "sections": parts,
            "functions": [{"bytes": s, "name": n} for s, n in functions[:top]],
        }, indent=2))
        return
    print(f"{args[0]}: {total} bytes")
    for name, size in sorted(parts.items(), key=lambda item: -item[1]):
        print(f"  {size:>8}  {100 * size / total:5.1f}%  {name}")
    code = sum(size for size, _ in functions)
    print(f"  {len(functions)} functions, {code} bytes of code; the largest:")
    for size, name in functions[:top]:
        print(f"  {size:>8}  {100 * size / total:5.1f}%  {name[:110]}")


if __name__ == "__main__":
    main()
