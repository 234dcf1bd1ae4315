"""The module-cycle check finds a cycle, and passes a tree without one."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from check_module_cycles import cycle, imports  # noqa: E402


def tree(files):
    src = tempfile.mkdtemp()
    for path, text in files.items():
        full = os.path.join(src, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as out:
            out.write(text)
    return src


class ModuleCycles(unittest.TestCase):
    def test_two_modules_that_import_each_other_are_a_cycle(self):
        src = tree({"a.rs": "use crate::b::X;\n", "b/mod.rs": "use crate::{a::Y, c};\n"})
        self.assertEqual(cycle(imports(src)), ["a", "b", "a"])

    def test_crate_error_counts_as_the_error_module(self):
        src = tree({"error.rs": "use crate::history::F;\n", "history.rs": "use crate::Error;\n"})
        self.assertEqual(cycle(imports(src)), ["error", "history", "error"])

    def test_imports_one_way_and_test_modules_are_no_cycle(self):
        src = tree({
            "a.rs": "use crate::b::X;\n",
            "b.rs": "pub struct X;\n#[cfg(test)]\nmod tests {\n    use crate::a;\n}\n",
            "b/tests.rs": "use crate::a;\n",
        })
        self.assertIsNone(cycle(imports(src)))


if __name__ == "__main__":
    unittest.main()
