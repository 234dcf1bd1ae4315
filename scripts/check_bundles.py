"""Prints each bundle's path and optimized wasm size, and checks that the
metadata exposes the selectors other tools rely on (the PSP22 standard ones)."""
import json
import os
import sys

STANDARD_PSP22 = {
    "PSP22::transfer": "0xdb20f9f5",
    "PSP22::transfer_from": "0x54b3c76e",
    "PSP22::approve": "0xb20f1bbd",
    "PSP22::balance_of": "0x6568382f",
}


def main(ink_dir, contracts):
    failed = False
    for contract in contracts:
        name = contract.replace("-", "_")
        bundle = os.path.join(ink_dir, name, f"{name}.contract")
        wasm = os.path.join(ink_dir, name, f"{name}.wasm")
        with open(bundle) as f:
            metadata = json.load(f)
        selectors = {m["label"]: m["selector"] for m in metadata["spec"]["messages"]}
        if contract == "psp22-mock":
            for label, selector in STANDARD_PSP22.items():
                if selectors.get(label) != selector:
                    print(f"bundle: {contract}: {label} has selector {selectors.get(label)}, expected {selector}")
                    failed = True
        print(f"{contract:12} {os.path.getsize(wasm):>7} bytes wasm  {bundle}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
