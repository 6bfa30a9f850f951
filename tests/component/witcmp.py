#!/usr/bin/env python3
"""Compare two WIT texts modulo formatting: whitespace and blank lines are
ignored, everything else (items and their order) must be equal.
usage: witcmp.py EXPECTED ACTUAL; prints a unified diff and exits 1 on difference."""
import difflib, sys

def norm(path):
    with open(path) as f:
        return [' '.join(l.split()) for l in f if l.strip()]

a, b = norm(sys.argv[1]), norm(sys.argv[2])
if a != b:
    sys.stdout.writelines(x + '\n' for x in difflib.unified_diff(a, b, sys.argv[1], sys.argv[2], lineterm=''))
    sys.exit(1)
