#!/usr/bin/env python3
"""Write synthetic-names.wasm (argv[1]): the module of synthetic-names.src.wat, encoded here byte
by byte, plus a `name` section whose local names (subsection 2) and GC field names (subsection 10)
are empty, start with `#`, repeat in their function/type, or name an index twice (the later entry
wins). tests/wat/suite-wat-core.sh section p prints it with winspect and with npm jco (wasmprinter)
and compares. (Generated, not committed: *.wasm is ignored by .gitignore.)"""
import sys


def uleb(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def vec(items):
    return uleb(len(items)) + b"".join(items)


def sec(i, body):
    return bytes([i]) + uleb(len(body)) + body


def name(s):
    s = s.encode()
    return uleb(len(s)) + s


def namemap(pairs):
    return vec([uleb(i) + name(s) for i, s in pairs])


def func(locals_, code):
    body = vec(locals_) + code
    return uleb(len(body)) + body


types = vec([
    b"\x5f" + vec([b"\x7f\x00", b"\x7e\x00", b"\x7d\x00", b"\x7c\x00"]),  # 0: (struct i32 i64 f32 f64)
    b"\x60" + vec([b"\x7f", b"\x7e", b"\x7d"]) + vec([b"\x7f"]),          # 1: [i32 i64 f32] -> [i32]
    b"\x60" + vec([b"\x63\x00"]) + vec([b"\x7f"]),                        # 2: [(ref null 0)] -> [i32]
])
code = vec([
    func([b"\x02\x7f"], bytes([0x20, 0, 0x1a, 0x20, 1, 0x1a, 0x20, 2, 0x1a, 0x20, 4, 0x1a, 0x20, 3, 0x0b])),
    func([], bytes([0x20, 0, 0xfb, 2, 0, 1, 0x1a, 0x20, 0, 0xfb, 2, 0, 2, 0x1a, 0x20, 0, 0xfb, 2, 0, 0, 0x0b])),
])
names = (
    name("name")
    + sec(1, namemap([(0, "f"), (1, "g")]))
    + sec(2, vec([
        uleb(0) + namemap([(0, ""), (1, "#x"), (2, "a"), (3, "a"), (4, "b"), (4, "c")]),
        uleb(1) + namemap([(0, "p")]),
    ]))
    + sec(4, namemap([(0, "s")]))
    + sec(10, vec([uleb(0) + namemap([(0, "x"), (1, ""), (2, "#y"), (3, "x")])]))
)
module = b"\0asm\1\0\0\0" + sec(1, types) + sec(3, vec([b"\x01", b"\x02"])) + sec(10, code) + sec(0, names)
with open(sys.argv[1], "wb") as f:
    f.write(module)
