#!/usr/bin/env python3
"""Split .wast scripts into their text modules and components (seeds for fuzz_wat).

usage: wast-forms.py OUTDIR FILE.wast...

Writes every `(module ...)` and `(component ...)` form found at the top level
of a script or directly inside a command such as `(assert_invalid ...)`, as
its own file OUTDIR/<sha1>.wat (deduplicated by content, at most 64 KiB).
Forms given as bytes (`(module binary ...)`, `(module quote ...)`, also with
a `$id` or `definition` first) are left out. The scanner follows the lexical
rules of the core spec 6.3: strings with escapes, `;;` line comments and
nestable `(; ;)` block comments. Prints the number of files written.
"""
import hashlib, os, re, sys

BYTES_FORM = re.compile(rb'^\((?:module|component)(?:\s+\$\S+)?(?:\s+definition)?\s+(?:binary|quote)\b')


def forms(src):
    """Yield (depth, start, end) of every parenthesised form in src (bytes)."""
    i, n, stack = 0, len(src), []
    while i < n:
        c = src[i]
        if c == 0x22:  # string
            i += 1
            while i < n and src[i] != 0x22:
                i += 2 if src[i] == 0x5c else 1
            i += 1
        elif src.startswith(b';;', i):
            j = src.find(b'\n', i)
            i = n if j < 0 else j + 1
        elif src.startswith(b'(;', i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith(b'(;', i):
                    depth, i = depth + 1, i + 2
                elif src.startswith(b';)', i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == 0x28:
            stack.append(i)
            i += 1
        elif c == 0x29:
            if stack:
                s = stack.pop()
                yield len(stack), s, i + 1
            i += 1
        else:
            i += 1


def main():
    out, files = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    seen = set()
    for path in files:
        with open(path, 'rb') as f:
            src = f.read()
        for depth, s, e in forms(src):
            if depth > 1:
                continue
            text = src[s:e]
            if not (text.startswith(b'(module') or text.startswith(b'(component')):
                continue
            if text[len(b'(module') if text.startswith(b'(module') else len(b'(component'):][:1] not in (
                    b' ', b'\n', b'\t', b'\r', b')', b'('):
                continue
            if BYTES_FORM.match(text) or len(text) > 65536:
                continue
            h = hashlib.sha1(text).hexdigest()
            if h in seen:
                continue
            seen.add(h)
            with open(os.path.join(out, h + '.wat'), 'wb') as f:
                f.write(text + b'\n')
    print(len(seen))


if __name__ == '__main__':
    main()
