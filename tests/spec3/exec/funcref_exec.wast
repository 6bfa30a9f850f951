;; Typed function references (Core 3.0) in lib/interp, beyond the spec files: call_ref through
;; globals and tables of (ref $t), a table with an initialiser expression, call_ref of null
;; ("null function reference"), ref.as_non_null of null ("null reference"), br_on_null and
;; br_on_non_null carrying label values, a non-defaultable local, a million-deep countdown through
;; return_call_ref (constant stack), typed globals and tables imported by another module
;; (structurally equal types from two modules are one type; import matching: a const global by
;; subtyping, a var one exactly), and call_indirect across the two modules' equal types.

(module $A
  (type $ii (func (param i32) (result i32)))
  (func $inc (export "inc") (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (global (export "g-inc") (ref $ii) (ref.func $inc))
  (global $gm (export "g-mut") (mut (ref null $ii)) (ref.null $ii))
  (table $t (export "tab") 4 (ref $ii) (ref.func $dbl))
  (elem declare func $inc $dbl)
  (func (export "set-mut") (global.set $gm (ref.func $inc)))
  (func (export "call-mut") (param i32) (result i32) (call_ref $ii (local.get 0) (global.get $gm)))
  (func (export "call-tab") (param i32 i32) (result i32)
    (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
  (func (export "tab-get-call") (param i32 i32) (result i32)
    (call_ref $ii (local.get 1) (table.get $t (local.get 0))))
  (func (export "tab-set-inc") (param i32) (table.set $t (local.get 0) (ref.func $inc)))
)
(register "A" $A)

(assert_return (invoke "call-tab" (i32.const 3) (i32.const 21)) (i32.const 42))
(assert_return (invoke "tab-get-call" (i32.const 0) (i32.const 5)) (i32.const 10))
(assert_trap (invoke "call-mut" (i32.const 1)) "null function reference")
(invoke "set-mut")
(assert_return (invoke "call-mut" (i32.const 1)) (i32.const 2))
(assert_trap (invoke "call-tab" (i32.const 4) (i32.const 1)) "undefined element")
(invoke "tab-set-inc" (i32.const 3))
(assert_return (invoke "call-tab" (i32.const 3) (i32.const 21)) (i32.const 22))

(module $B
  (type $ii (func (param i32) (result i32)))
  (type $cnt (func (param i64 i64) (result i64)))
  (import "A" "g-inc" (global $g (ref $ii)))
  (import "A" "tab" (table $t 4 (ref $ii)))
  (elem declare func $count)
  (func (export "via-global") (param i32) (result i32) (call_ref $ii (local.get 0) (global.get $g)))
  (func (export "b-call-tab") (param i32 i32) (result i32)
    (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
  ;; return_call_ref: n steps in one frame
  (func $count (type $cnt) (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (return_call_ref $cnt
          (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 2)) (ref.func $count)))))
  (func (export "count") (param i64) (result i64) (call $count (local.get 0) (i64.const 0)))
  ;; br_on_null: the label takes [i32], the fall-through keeps [i32 (ref $ii)]
  (func (export "on-null") (param i32) (result i32)
    (local $f (ref null $ii))
    (if (local.get 0) (then (local.set $f (table.get $t (i32.const 1)))))
    (block $null (result i32)
      (i32.const 100)
      (br_on_null $null (local.get $f))
      (call_ref $ii)))
  ;; br_on_non_null: the label takes [i32 (ref $ii)], the fall-through keeps [i32]
  (func (export "on-non-null") (param i32) (result i32)
    (local $f (ref null $ii))
    (if (local.get 0) (then (local.set $f (global.get $g))))
    (block $some (result i32 (ref $ii))
      (i32.const 7)
      (br_on_non_null $some (local.get $f))
      (drop)
      (return (i32.const -1)))
    (call_ref $ii))
  (func (export "as-non-null") (param i32) (result i32)
    (call_ref $ii (i32.const 41)
      (ref.as_non_null
        (if (result (ref null $ii)) (local.get 0) (then (global.get $g)) (else (ref.null $ii))))))
  ;; a non-defaultable local, set before use (Core 3.0 3.3 local initialisation)
  (func (export "local-ref") (param i32) (result i32)
    (local $h (ref $ii))
    (local.set $h (global.get $g))
    (call_ref $ii (local.get 0) (local.get $h)))
)

(assert_return (invoke "via-global" (i32.const 9)) (i32.const 10))
(assert_return (invoke "b-call-tab" (i32.const 2) (i32.const 8)) (i32.const 16))
(assert_return (invoke "b-call-tab" (i32.const 3) (i32.const 8)) (i32.const 9))
(assert_return (invoke "count" (i64.const 1000000)) (i64.const 2000000))
(assert_return (invoke "on-null" (i32.const 1)) (i32.const 200))
(assert_return (invoke "on-null" (i32.const 0)) (i32.const 100))
(assert_return (invoke "on-non-null" (i32.const 1)) (i32.const 8))
(assert_return (invoke "on-non-null" (i32.const 0)) (i32.const -1))
(assert_return (invoke "as-non-null" (i32.const 1)) (i32.const 42))
(assert_trap (invoke "as-non-null" (i32.const 0)) "null reference")
(assert_return (invoke "local-ref" (i32.const 1)) (i32.const 2))

;; import matching (Core 3.0): a const global of a subtype, not of another type; a var global of
;; exactly its type; a table of exactly its element type
(module (import "A" "g-inc" (global (ref null func))))
(assert_unlinkable
  (module (type $v (func)) (import "A" "g-inc" (global (ref $v))))
  "incompatible import type")
(assert_unlinkable
  (module (type $ii (func (param i32) (result i32))) (import "A" "g-mut" (global (mut (ref $ii)))))
  "incompatible import type")
(assert_unlinkable
  (module (import "A" "tab" (table 4 funcref)))
  "incompatible import type")

;; validation: a non-defaultable local read before it is set; call_ref of the wrong type
(assert_invalid
  (module (type $ii (func (param i32) (result i32)))
    (func (result i32) (local $h (ref $ii)) (call_ref $ii (i32.const 0) (local.get $h))))
  "uninitialized local")
(assert_invalid
  (module (type $ii (func (param i32) (result i32))) (type $v (func))
    (func (param (ref $v)) (result i32) (call_ref $ii (i32.const 0) (local.get 0))))
  "type mismatch")
