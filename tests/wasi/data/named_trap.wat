;; $outer -> $middle -> $inner, which traps: the backtrace must name all three
;; (wat2wasm --debug-names writes the name section).
(module
  (memory (export "memory") 1)
  (func $inner (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (func $middle (result i32) (call $inner (i32.const 0)))
  (func $outer (export "_start") (drop (call $middle))))
