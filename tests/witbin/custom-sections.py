#!/usr/bin/env python3
"""Print the top-level custom sections of a wasm component or module, except
`producers`, one per line as wasmprinter prints them:
    (@custom "NAME" "BYTES")
with BYTES escaped like wasmprinter's print_bytes (printable ASCII other than
'"' and '\\' as is, every other byte as \\xx in lower-case hex).
Used by suite-encode.sh because `winspect print` does not print custom sections
of components other than `producers`."""
import sys


def uleb(b, i):
    v = s = 0
    while True:
        if i >= len(b):
            raise ValueError("truncated LEB128")
        x = b[i]
        i += 1
        v |= (x & 0x7F) << s
        s += 7
        if not x & 0x80:
            return v, i


def esc(bs):
    return "".join(chr(c) if 0x20 <= c < 0x7F and c not in (0x22, 0x5C) else "\\%02x" % c for c in bs)


def main():
    b = open(sys.argv[1], "rb").read()
    if len(b) < 8 or b[:4] != b"\0asm":
        sys.exit("not wasm")
    i = 8
    while i < len(b):
        sid = b[i]
        n, j = uleb(b, i + 1)
        end = j + n
        if end > len(b):
            sys.exit("section past the end")
        if sid == 0:
            ln, k = uleb(b, j)
            name = b[k:k + ln].decode("utf-8")
            if name != "producers":
                print('(@custom "%s" "%s")' % (name, esc(b[k + ln:end])))
        i = end


main()
