;; wkit: GC constant expressions (Core 3.0 3.3.10) beyond the spec corpus: v128, f32 and f64
;; fields of struct.new / array.new / array.new_fixed in global initialisers and element items
;; (operands of v128.const, f32.const, f64.const and global.get of a v128 global), and a heap
;; that runs out during instantiation (the runner's --max-memory=64 MiB in suite-spec3-exec.sh
;; is also the GC heap's limit): the instantiation traps "out of memory" (Core 3.0 4.5.4), it
;; never leaves a null in a global whose type forbids it.
(module
  (type $sv (struct (field v128) (field i32) (field f64) (field f32)))
  (type $av (array v128))
  (global $g0 v128 (v128.const i32x4 0x11111111 0x22222222 0x33333333 0x44444444))
  (global $s (ref $sv) (struct.new $sv (v128.const i32x4 1 2 3 4) (i32.const 5) (f64.const 6.5) (f32.const 7.25)))
  (global $t (ref $sv) (struct.new $sv (global.get $g0) (i32.const -1) (f64.const -0.5) (f32.const 1e10)))
  (global $a (ref $av) (array.new $av (v128.const i64x2 0x0102030405060708 0x1112131415161718) (i32.const 3)))
  (global $f (ref $av) (array.new_fixed $av 2 (v128.const i32x4 9 10 11 12) (global.get $g0)))
  (table $tab 2 (ref null $sv))
  (elem (table $tab) (i32.const 0) (ref null $sv)
    (item (struct.new $sv (v128.const i32x4 21 22 23 24) (i32.const 25) (f64.const 26) (f32.const 27))))
  (func (export "s-lane") (param i32) (result i32)
    (local $v v128)
    (local.set $v (struct.get $sv 0 (global.get $s)))
    (if (result i32) (i32.eq (local.get 0) (i32.const 0)) (then (i32x4.extract_lane 0 (local.get $v)))
      (else (if (result i32) (i32.eq (local.get 0) (i32.const 1)) (then (i32x4.extract_lane 1 (local.get $v)))
        (else (if (result i32) (i32.eq (local.get 0) (i32.const 2)) (then (i32x4.extract_lane 2 (local.get $v)))
          (else (i32x4.extract_lane 3 (local.get $v)))))))))
  (func (export "s-v") (result v128) (struct.get $sv 0 (global.get $s)))
  (func (export "s-i") (result i32) (struct.get $sv 1 (global.get $s)))
  (func (export "s-d") (result f64) (struct.get $sv 2 (global.get $s)))
  (func (export "s-f") (result f32) (struct.get $sv 3 (global.get $s)))
  (func (export "t-v") (result v128) (struct.get $sv 0 (global.get $t)))
  (func (export "t-i") (result i32) (struct.get $sv 1 (global.get $t)))
  (func (export "t-d") (result f64) (struct.get $sv 2 (global.get $t)))
  (func (export "t-f") (result f32) (struct.get $sv 3 (global.get $t)))
  (func (export "a") (param i32) (result v128) (array.get $av (global.get $a) (local.get 0)))
  (func (export "a-len") (result i32) (array.len (global.get $a)))
  (func (export "f") (param i32) (result v128) (array.get $av (global.get $f) (local.get 0)))
  (func (export "e-v") (result v128) (struct.get $sv 0 (ref.as_non_null (table.get $tab (i32.const 0)))))
  (func (export "e-i") (result i32) (struct.get $sv 1 (ref.as_non_null (table.get $tab (i32.const 0)))))
)
(assert_return (invoke "s-v") (v128.const i32x4 1 2 3 4))
(assert_return (invoke "s-lane" (i32.const 3)) (i32.const 4))
(assert_return (invoke "s-i") (i32.const 5))
(assert_return (invoke "s-d") (f64.const 6.5))
(assert_return (invoke "s-f") (f32.const 7.25))
(assert_return (invoke "t-v") (v128.const i32x4 0x11111111 0x22222222 0x33333333 0x44444444))
(assert_return (invoke "t-i") (i32.const -1))
(assert_return (invoke "t-d") (f64.const -0.5))
(assert_return (invoke "t-f") (f32.const 1e10))
(assert_return (invoke "a" (i32.const 0)) (v128.const i64x2 0x0102030405060708 0x1112131415161718))
(assert_return (invoke "a" (i32.const 2)) (v128.const i64x2 0x0102030405060708 0x1112131415161718))
(assert_return (invoke "a-len") (i32.const 3))
(assert_return (invoke "f" (i32.const 0)) (v128.const i32x4 9 10 11 12))
(assert_return (invoke "f" (i32.const 1)) (v128.const i32x4 0x11111111 0x22222222 0x33333333 0x44444444))
(assert_return (invoke "e-v") (v128.const i32x4 21 22 23 24))
(assert_return (invoke "e-i") (i32.const 25))

;; out of heap in a global initialiser (128 MiB > the 64 MiB limit): a trap, not a null
(assert_trap
  (module
    (type $bytes (array i8))
    (global (ref $bytes) (array.new_default $bytes (i32.const 134217728))))
  "out of memory")
;; ... in a table initialiser
(assert_trap
  (module
    (type $bytes (array i8))
    (table 1 (ref $bytes) (array.new_default $bytes (i32.const 134217728))))
  "out of memory")
;; ... in an element item
(assert_trap
  (module
    (type $bytes (array i8))
    (elem (ref $bytes) (item (array.new_default $bytes (i32.const 134217728)))))
  "out of memory")
;; ... in the middle: several allocations each under the limit, together over it
(assert_trap
  (module
    (type $bytes (array i8))
    (type $pair (struct (field (ref $bytes)) (field (ref $bytes))))
    (global (ref $pair) (struct.new $pair (array.new_default $bytes (i32.const 40000000))
                                          (array.new_default $bytes (i32.const 40000000)))))
  "out of memory")
;; the store is still usable afterwards
(module
  (type $bytes (array i8))
  (global $b (ref $bytes) (array.new_default $bytes (i32.const 1000)))
  (func (export "len") (result i32) (array.len (global.get $b))))
(assert_return (invoke "len") (i32.const 1000))
