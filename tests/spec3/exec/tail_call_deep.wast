;; wkit: tail calls in lib/interp run in constant host stack and constant
;; frame depth (Core 3.0 4.4.8 return_call / return_call_indirect: the
;; callee replaces the caller's frame). The engine's call-depth limit is
;; 10,000 frames, so each 1,000,000-call chain below exhausts it unless every
;; call is a real tail call.
(module $M
  (type $t (func (param i32 i64) (result i64)))
  (table 2 funcref)
  (elem (i32.const 0) $ping_i $pong_i)
  ;; mutual recursion through return_call: even/odd on 1,000,000
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (export "odd") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))
  ;; mutual recursion through return_call_indirect, with an accumulator
  (func $ping_i (type $t) (param i32 i64) (result i64)
    (if (result i64) (i32.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call_indirect (type $t)
              (i32.sub (local.get 0) (i32.const 1)) (i64.add (local.get 1) (i64.const 3)) (i32.const 1)))))
  (func $pong_i (type $t) (param i32 i64) (result i64)
    (if (result i64) (i32.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call_indirect (type $t)
              (i32.sub (local.get 0) (i32.const 1)) (i64.sub (local.get 1) (i64.const 1)) (i32.const 0)))))
  (func (export "ping") (param i32) (result i64) (return_call $ping_i (local.get 0) (i64.const 0)))
  ;; a tail call from a function with more locals than the callee has (the frame is reused)
  (func $many (export "many") (param i32) (result i32) (local i64 i64 i64 f64 f64 v128 v128)
    (local.set 6 (v128.const i32x4 1 2 3 4))
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32x4.extract_lane 3 (local.get 6)))
      (else (return_call $few (local.get 0)))))
  (func $few (param i32) (result i32)
    (return_call $many (i32.sub (local.get 0) (i32.const 1))))
  ;; v128 arguments through a tail call
  (func $vsum (param v128 i32 v128) (result v128)
    (if (result v128) (i32.eqz (local.get 1))
      (then (i32x4.add (local.get 0) (local.get 2)))
      (else (return_call $vsum (local.get 2) (i32.sub (local.get 1) (i32.const 1)) (local.get 0)))))
  (func (export "vsum") (param i32) (result i32)
    (i32x4.extract_lane 0
      (call $vsum (v128.const i32x4 5 0 0 0) (local.get 0) (v128.const i32x4 7 0 0 0))))
  ;; a tail call in a non-tail block position still returns from the function
  (func (export "in_block") (param i32) (result i32)
    (block (result i32)
      (br_if 0 (i32.const 9) (i32.eqz (local.get 0)))
      (return_call $even (local.get 0))))
)
(assert_return (invoke "even" (i32.const 1000000)) (i32.const 1))
(assert_return (invoke "odd" (i32.const 1000000)) (i32.const 0))
(assert_return (invoke "even" (i32.const 999999)) (i32.const 0))
(assert_return (invoke "ping" (i32.const 1000000)) (i64.const 1000000))
(assert_return (invoke "ping" (i32.const 1000001)) (i64.const 1000003))
(assert_return (invoke "many" (i32.const 1000000)) (i32.const 4))
(assert_return (invoke "vsum" (i32.const 1000000)) (i32.const 12))
(assert_return (invoke "vsum" (i32.const 3)) (i32.const 12))
(assert_return (invoke "in_block" (i32.const 0)) (i32.const 9))
(assert_return (invoke "in_block" (i32.const 10)) (i32.const 1))

;; across instances: an imported function and a table of another instance
(register "M" $M)
(module $N
  (import "M" "even" (func $even (param i32) (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (func $host_tail (import "M" "odd") (param i32) (result i32))
  (func (export "to_import") (param i32) (result i32) (return_call $even (local.get 0)))
  (func $loop (export "loop_import") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (return_call $host_tail (i32.const 7)))
      (else (return_call $loop (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "to_host") (param i32) (return_call $print (local.get 0)))
)
(assert_return (invoke "to_import" (i32.const 1000000)) (i32.const 1))
(assert_return (invoke "loop_import" (i32.const 1000000)) (i32.const 1))
(assert_return (invoke "to_host" (i32.const 5)))

;; the callee's trap
(module
  (table 1 funcref)
  (func $t (param i32) (result i32) (return_call_indirect (param i32) (result i32) (local.get 0) (local.get 0)))
  (func (export "oob") (result i32) (return_call $t (i32.const 5)))
  (func (export "null") (result i32) (return_call $t (i32.const 0)))
)
(assert_trap (invoke "oob") "undefined element")
(assert_trap (invoke "null") "uninitialized element")

;; without the tail call: the same chain exhausts the call stack
(module
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
)
(assert_exhaustion (invoke "even" (i32.const 1000000)) "call stack exhausted")
