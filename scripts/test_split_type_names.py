#!/usr/bin/env python3
"""Tests of split_type_names on a bundle's metadata in both of cargo-contract's
formats.

    python3 -m unittest scripts/test_split_type_names.py
"""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import check_bundles  # noqa: E402
import split_type_names  # noqa: E402


def metadata(*display_names):
    """A bundle with one message whose arguments' types bear these names."""
    args = [{"label": f"a{i}", "type": {"displayName": names, "type": i}}
            for i, names in enumerate(display_names)]
    message = {"label": "get_offer", "args": args,
               "returnType": {"displayName": ["Option"], "type": 9}}
    return {"source": {"hash": "0x00"}, "spec": {"messages": [message]}}


class SplitTypeNames(unittest.TestCase):
    def rename(self, bundle, suffix):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "broker" + suffix)
            with open(path, "w", encoding="utf-8") as f:
                f.write(bundle)
            split_type_names.main([path])
            with open(path, encoding="utf-8") as f:
                return f.read()

    def test_drops_the_split_module_and_keeps_the_rest(self):
        before = metadata(["cold", "OfferId"], ["cold", "Option"], ["AccountId"], [],
                          ["hot", "Balance"])
        self.assertEqual(len(check_bundles.split_named(before)), 3)
        after = json.loads(self.rename(json.dumps(before, indent=2), ".json"))
        names = [a["type"]["displayName"]
                 for a in after["spec"]["messages"][0]["args"]]
        self.assertEqual(names, [["OfferId"], ["Option"], ["AccountId"], [], ["Balance"]])
        self.assertEqual(check_bundles.split_named(after), [])

    def test_writes_each_format_as_cargo_contract_does(self):
        before = metadata(["cold", "u32"])
        expected = metadata(["u32"])
        self.assertEqual(self.rename(json.dumps(before, indent=2), ".json"),
                         json.dumps(expected, indent=2))
        compact = (",", ":")
        self.assertEqual(self.rename(json.dumps(before, separators=compact), ".contract"),
                         json.dumps(expected, separators=compact))

    def test_leaves_a_bundle_without_split_names_byte_for_byte(self):
        bundle = json.dumps(metadata(["Balance"]), indent=4) + "\n"
        self.assertEqual(self.rename(bundle, ".json"), bundle)


if __name__ == "__main__":
    unittest.main()
