#!/usr/bin/env python3
"""Tests of chain_compat's Wasm parser and linker on tiny modules built here.

    python3 -m unittest scripts/test_chain_compat.py
"""
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import chain_compat  # noqa: E402

I32, I64 = 0x7F, 0x7E
CHAINS = os.path.join(os.path.dirname(__file__), "..", "chains")


def leb(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def vec(items):
    return leb(len(items)) + b"".join(items)


def name(text):
    return vec([bytes([b]) for b in text.encode()])


def section(kind, items):
    body = vec(items)
    return bytes([kind]) + leb(len(body)) + body


def module(imports=(), memory=(1, 16), padding=0, body=b"\x0b"):
    """A contract module: `imports` are (module, name, params, results); it
    imports env::memory, defines call and deploy as () -> () running `body`,
    and carries `padding` bytes in a custom section."""
    types = [b"\x60" + vec([]) + vec([])]
    entries = []
    for mod, field, params, results in imports:
        types.append(b"\x60" + vec([bytes([p]) for p in params]) + vec([bytes([r]) for r in results]))
        entries.append(name(mod) + name(field) + b"\x00" + leb(len(types) - 1))
    entries.append(name("env") + name("memory") + b"\x02\x01" + leb(memory[0]) + leb(memory[1]))
    count = len(imports)
    code = vec([]) + body
    data = (b"\0asm\1\0\0\0" + section(1, types) + section(2, entries) +
            section(3, [leb(0), leb(0)]) +
            section(7, [name("call") + b"\x00" + leb(count), name("deploy") + b"\x00" + leb(count + 1)]) +
            section(10, [leb(len(code)) + code] * 2))
    if padding:
        custom = name("pad") + bytes(padding)
        data += b"\x00" + leb(len(custom)) + custom
    return data


def chain(unstable=False, max_code_len=1024):
    return {
        "name": "test", "unsafe_unstable_interface": unstable, "chain_extension": False,
        "limits": {"max_code_len": max_code_len, "memory_pages": 16},
        "host_functions": [
            {"module": "seal0", "name": "input", "params": ["i32", "i32"], "results": [],
             "unstable": False, "deprecated": False},
            {"module": "seal2", "name": "call", "params": ["i32", "i64"], "results": ["i32"],
             "unstable": True, "deprecated": False},
        ],
    }


INPUT = ("seal0", "input", [I32, I32], [])
CALL_V2 = ("seal2", "call", [I32, I64], [I32])


class Parser(unittest.TestCase):
    def test_reads_imports_memory_and_exports(self):
        parsed = chain_compat.parse(module([INPUT]))
        self.assertEqual(parsed["imports"][0]["module"], "seal0")
        self.assertEqual(chain_compat.signature(parsed, parsed["imports"][0]["type"]), "(i32, i32) -> ()")
        self.assertEqual(parsed["imports"][1]["limits"], {"min": 1, "max": 16})
        self.assertEqual([e["name"] for e in parsed["exports"]], ["call", "deploy"])

    def test_refuses_what_is_not_wasm(self):
        with self.assertRaises(ValueError):
            chain_compat.parse(b"\0asm\2\0\0\0")


class Linker(unittest.TestCase):
    def problems(self, data, **kwargs):
        return chain_compat.link(chain_compat.parse(data), chain(**kwargs))

    def test_a_known_stable_import_links(self):
        self.assertEqual(self.problems(module([INPUT])), [])

    def test_an_import_the_chain_lacks_is_rejected(self):
        problems = self.problems(module([("seal1", "nonexistent", [I32], [I32])]))
        self.assertEqual(problems, ["imports seal1::nonexistent, which the chain does not define."])

    def test_an_unstable_import_links_only_where_unstable_is_on(self):
        self.assertIn("#[unstable]", self.problems(module([CALL_V2]), unstable=False)[0])
        self.assertEqual(self.problems(module([CALL_V2]), unstable=True), [])

    def test_a_signature_mismatch_is_rejected(self):
        problems = self.problems(module([("seal0", "input", [I32, I64], [])]))
        self.assertEqual(problems, ["imports seal0::input as (i32, i64) -> (), "
                                    "but the chain defines it as (i32, i32) -> ()."])

    def test_an_over_long_code_is_rejected(self):
        self.assertEqual(self.problems(module([INPUT], padding=100), max_code_len=1024), [])
        problems = self.problems(module([INPUT], padding=2000), max_code_len=1024)
        self.assertEqual(len(problems), 1)
        self.assertIn("MaxCodeLen is 1024", problems[0])

    def test_too_many_memory_pages_are_rejected(self):
        problems = self.problems(module([INPUT], memory=(1, 17)))
        self.assertEqual(problems, ["asks for up to 17 memory pages; the chain allows 16."])


class GeneratedTables(unittest.TestCase):
    """The committed tables carry what the chains' sources say about ink! 5.1.1's calls."""

    def load(self, name):
        path = os.path.join(CHAINS, name + ".json")
        if not os.path.exists(path):
            self.skipTest(f"{path} not generated")
        with open(path) as f:
            return json.load(f)

    def test_aleph_zero_does_not_link_seal2_call_but_links_seal1_call(self):
        aleph = self.load("aleph-zero")
        functions = {(f["module"], f["name"]): f for f in aleph["host_functions"]}
        params = [I32 if t == "i32" else I64 for t in functions["seal2", "call"]["params"]]
        v2 = chain_compat.link(chain_compat.parse(module([("seal2", "call", params, [I32])])), aleph)
        self.assertEqual(len(v2), 1)
        self.assertIn("#[unstable]", v2[0])
        params = [I32 if t == "i32" else I64 for t in functions["seal1", "call"]["params"]]
        v1 = chain_compat.link(chain_compat.parse(module([("seal1", "call", params, [I32])])), aleph)
        self.assertEqual(v1, [])


@unittest.skipUnless(shutil.which("wasm-validate") and shutil.which("wasm-objdump"), "wabt missing")
class Features(unittest.TestCase):
    ENGINE = {"features": {"bulk_memory": False, "floats": False, "sign_extension": True}}

    def problems(self, body, **allowed):
        engine = {"features": {**self.ENGINE["features"], **allowed}}
        with tempfile.NamedTemporaryFile(suffix=".wasm") as f:
            f.write(module([INPUT], body=body))
            f.flush()
            return chain_compat.feature_problems(f.name, engine)

    def test_plain_code_passes(self):
        self.assertEqual(self.problems(b"\x0b"), [])

    def test_bulk_memory_is_rejected_when_the_engine_denies_it(self):
        fill = b"\x41\x00\x41\x00\x41\x00\xfc\x0b\x00\x0b"  # memory.fill(0, 0, 0)
        problems = self.problems(fill)
        self.assertEqual(len(problems), 1)
        self.assertIn("--disable-bulk-memory", problems[0])
        self.assertEqual(self.problems(fill, bulk_memory=True), [])

    def test_floats_are_rejected_when_the_engine_denies_them(self):
        drop_float = b"\x43\x00\x00\x80\x3f\x1a\x0b"  # f32.const 1; drop
        problems = self.problems(drop_float)
        self.assertEqual(len(problems), 1)
        self.assertIn("floating point", problems[0])
        self.assertEqual(self.problems(drop_float, floats=True), [])


if __name__ == "__main__":
    unittest.main()
