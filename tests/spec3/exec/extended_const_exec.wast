;; wkit: extended constant expressions (Core 3.0 3.3.10) evaluated by
;; lib/interp at instantiation: globals, data and element segment offsets,
;; with imported globals.
(module $G
  (global (export "g32") i32 (i32.const 10))
  (global (export "g64") i64 (i64.const -3))
)
(register "G" $G)
(module
  (import "G" "g32" (global $g32 i32))
  (import "G" "g64" (global $g64 i64))
  (global $a (export "a") i32 (i32.add (i32.mul (global.get $g32) (i32.const 7)) (i32.const -1)))
  (global $b (export "b") i64 (i64.sub (i64.mul (global.get $g64) (global.get $g64)) (i64.const 10)))
  (global $w (export "w") i32 (i32.mul (i32.const 0x10000) (i32.const 0x10000)))
  (global $v (export "v") i32 (i32.sub (i32.const 0) (i32.const 1)))
  (global $d (export "d") i64 (i64.mul (i64.const 0x100000000) (i64.const 0x100000000)))
  (memory 1)
  (data (i32.add (global.get $g32) (i32.mul (i32.const 2) (i32.const 3))) "wkit")
  (table 32 funcref)
  (elem (i32.sub (i32.mul (global.get $g32) (i32.const 2)) (i32.const 1)) $f)
  (func $f (result i32) (i32.const 77))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
)
(assert_return (get "a") (i32.const 69))
(assert_return (get "b") (i64.const -1))
(assert_return (get "w") (i32.const 0))
(assert_return (get "v") (i32.const -1))
(assert_return (get "d") (i64.const 0))
(assert_return (invoke "load" (i32.const 16)) (i32.const 0x77))
(assert_return (invoke "load" (i32.const 19)) (i32.const 0x74))
(assert_return (invoke "load" (i32.const 15)) (i32.const 0))
(assert_return (invoke "call" (i32.const 19)) (i32.const 77))
(assert_trap (invoke "call" (i32.const 18)) "uninitialized element")
;; an out-of-range computed offset fails instantiation
(assert_trap
  (module
    (memory 1)
    (data (i32.mul (i32.const 0x4000) (i32.const 4)) "x"))
  "out of bounds memory access")
