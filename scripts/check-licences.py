#!/usr/bin/env python3
"""Licences, banned crates and sources of every dependency, by the rules of deny.toml.

cargo-deny reads the same deny.toml; this script applies its `licenses`, `bans` and `sources`
sections with `cargo metadata` alone, so CI needs no extra tool (cargo-deny takes a quarter of an
hour to build here). Security advisories need the RustSec database, which CI cannot fetch: run
`cargo deny check advisories` where it can.
"""
import json
import os
import re
import subprocess
import sys
import tomllib


def spdx_allowed(expression, allowed):
    """Evaluates an SPDX expression: OR needs one side allowed, AND both; WITH keeps the pair."""
    tokens = re.findall(r"\(|\)|[A-Za-z0-9.+\-]+(?:\s+WITH\s+[A-Za-z0-9.+\-]+)?", expression.replace("/", " OR "))
    position = 0

    def parse_or():
        nonlocal position
        value = parse_and()
        while position < len(tokens) and tokens[position] == "OR":
            position += 1
            right = parse_and()
            value = value or right
        return value

    def parse_and():
        nonlocal position
        value = parse_atom()
        while position < len(tokens) and tokens[position] == "AND":
            position += 1
            right = parse_atom()
            value = value and right
        return value

    def parse_atom():
        nonlocal position
        token = tokens[position]
        position += 1
        if token == "(":
            value = parse_or()
            position += 1  # ")"
            return value
        return token in allowed or token.split(" WITH ")[0] in allowed and " WITH " not in token

    return parse_or()


VENDOR = os.path.abspath("vendor") + os.sep


def main():
    deny = tomllib.load(open("deny.toml", "rb"))
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True, capture_output=True, text=True,
        ).stdout
    )
    allow = set(deny["licenses"]["allow"])
    exceptions = {e["crate"]: set(e["allow"]) for e in deny["licenses"].get("exceptions", [])}
    banned = {entry["crate"] for entry in deny.get("bans", {}).get("deny", [])}
    workspace = set(metadata["workspace_members"])
    problems = []
    for package in metadata["packages"]:
        name = package["name"]
        if package["id"] in workspace:
            continue
        if name in banned:
            problems.append(f"{name}: banned crate (deny.toml [bans])")
        source = package.get("source") or ""
        # Vendored crates (vendor/README.md says what was changed) are path dependencies, which
        # cargo-deny's [sources] check allows too.
        vendored = not source and os.path.abspath(package["manifest_path"]).startswith(VENDOR)
        if not vendored and not source.startswith("registry+https://github.com/rust-lang/crates.io-index"):
            problems.append(f"{name}: comes from {source or 'a path'}, not crates.io")
        licence = package.get("license")
        if not licence:
            problems.append(f"{name}: no licence declared")
        elif not spdx_allowed(licence, allow | exceptions.get(name, set())):
            problems.append(f"{name} {package['version']}: licence {licence} is not allowed")
    count = len(metadata["packages"]) - len(workspace)
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} problems in {count} dependencies")
        return 1
    print(f"licences, bans and sources: {count} dependencies ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
