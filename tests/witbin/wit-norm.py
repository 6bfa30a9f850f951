#!/usr/bin/env python3
"""Normalize WIT text for suite-encode.sh's comparison of our decoder's print of our encoding with
wit-component's `X.wit.print` (the two printers differ in layout only):
  - only the main package: stop at the first nested `package a:b {` block (ours prints the
    dependencies there; upstream's printer prints only the main package);
  - blank lines dropped;
  - `use p.{a, b};` split into one `use p.{a};` line per name (ours writes one per name);
  - a world's own `use` lines moved, sorted, to the top of the world (ours prints them before the
    world's imports, upstream after the imports they refer to).
usage: wit-norm.py FILE"""
import re
import sys

out = []
world = None  # (header, uses, rest) while inside a top-level world block

for line in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if re.match(r"^package .*\{$", line):
        break
    if not line.strip():
        continue
    m = re.match(r"^(\s*)use (.*)\.\{(.*)\};$", line)
    lines = [line]
    if m and "," in m.group(3):
        lines = ["%suse %s.{%s};" % (m.group(1), m.group(2), n.strip()) for n in m.group(3).split(",")]
    for l in lines:
        if world is None:
            if re.match(r"^world .*\{$", l):
                world = (l, [], [])
            else:
                out.append(l)
        elif l == "}":
            out.append(world[0])
            out.extend(sorted(world[1]))
            out.extend(world[2])
            out.append(l)
            world = None
        elif re.match(r"^  use ", l):
            world[1].append(l)
        else:
            world[2].append(l)
print("\n".join(out))
