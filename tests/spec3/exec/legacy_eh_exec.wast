;; wkit: legacy exception handling (try, catch, catch_all, delegate, rethrow; the proposal's
;; first version, what emscripten -fwasm-exceptions emits) in lib/interp: exceptions across
;; instances and frames, payloads of several types (a v128 takes two slots), rethrow of an outer
;; catch from an inner one (the hidden exnref slot survives nested tries and calls), delegate
;; chains (to a try, through a try-delegate, to a block, out of a catch body, to the caller,
;; across frames), block parameters (legacy try mixed with try_table: legacy_eh_mixed.wast), branches out of catch bodies, loops around a try, tail calls out of a try, and
;; traps that catch_all does not catch.
(module $A
  (tag $t (export "t") (param i32 i64))
  (tag $v (export "v") (param v128 f64))
  (func (export "throw_t") (param i32) (throw $t (local.get 0) (i64.const 7)))
  (func (export "throw_v") (throw $v (v128.const i32x4 1 2 3 4) (f64.const 2.5)))
)
(register "A" $A)
(module $B
  (import "A" "t" (tag $t (param i32 i64)))
  (import "A" "v" (tag $v (param v128 f64)))
  (import "A" "throw_t" (func $throw_t (param i32)))
  (import "A" "throw_v" (func $throw_v))
  (tag $e)
  (tag $f (param i32))
  (func $deep (param i32)
    (if (i32.eqz (local.get 0))
      (then (call $throw_t (i32.const 42)))
      (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
  ;; a payload from another instance, several frames down
  (func (export "catch_deep") (param i32) (result i64)
    (try (result i64)
      (do (call $deep (local.get 0)) (i64.const -1))
      (catch $t (drop) (i64.add (i64.extend_i32_u) (i64.const 1000)))))
  ;; v128 + f64 payload: two slots for the v128, the exnref below them
  (func (export "catch_v") (result i32) (local $d f64)
    (try (result i32)
      (do (call $throw_v) (i32.const -1))
      (catch $v
        (local.set $d)
        (i32x4.extract_lane 3)
        (i32.trunc_f64_s (local.get $d))
        (i32.add))))
  ;; rethrow 2 from a catch nested in a catch (of another tag): the outer exnref survives
  (func (export "rethrow_outer") (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (throw $f (local.get 0)))
          (catch $f
            (drop)
            (try (result i32)
              (do (throw $e))
              (catch $e (rethrow 1))))))
      (catch $f (i32.add (i32.const 100)))))
  (func (export "rethrow_outer_2") (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (throw $f (local.get 0)))
          (catch $f
            (drop)
            (try (result i32)
              (do (call $deep (i32.const 3)) (i32.const 0))
              (catch $t (drop) (drop) (rethrow 1))
              (catch_all (rethrow 1))))))
      (catch $f (i32.add (i32.const 200)))
      (catch $t (drop) (i32.const 300) (i32.add))))
  ;; a rethrow keeps the caught payload even after the catch body used the stack above it
  (func (export "rethrow_after_work") (param i32) (result i32)
    (try (result i32)
      (do
        (try
          (do (throw $f (local.get 0)))
          (catch_all
            (i32.const 1) (i32.const 2) (i32.const 3) (i32.add) (i32.add) (drop)
            (call $nothing)
            (rethrow 0)))
        (i32.const -1))
      (catch $f)))
  (func $nothing)
  ;; delegate chains
  (func (export "delegate_chain") (result i32)
    (try $outer (result i32)
      (do
        (try $mid (result i32)
          (do
            (try (result i32)
              (do
                (try (result i32) (do (throw $f (i32.const 7))) (delegate $mid)))
              (catch $f (drop) (i32.const 1000))))
          (delegate $outer)))
      (catch $f (i32.const 70) (i32.add))))
  (func $thrower_delegating (param i32)
    (try (do (throw $f (local.get 0))) (delegate 0)))
  (func (export "delegate_across_frames") (param i32) (result i32)
    (try (result i32)
      (do (call $thrower_delegating (local.get 0)) (i32.const -1))
      (catch $f (i32.const 1) (i32.add))))
  ;; out of a catch body: the try's own clauses do not catch, the next one out does
  (func (export "delegate_from_catch") (result i32)
    (try (result i32)
      (do
        (try $l (result i32)
          (do (throw $e))
          (catch $e (try (result i32) (do (throw $f (i32.const 9))) (delegate $l)))
          (catch $f (drop) (i32.const -1))))
      (catch $f (i32.const 10) (i32.add))))
  ;; block parameters: the try's params are its body's; the catch body starts empty
  (func (export "try_params") (param i32) (result i32)
    (local.get 0) (i32.const 10)
    (try (param i32 i32) (result i32)
      (do (i32.add) (if (i32.eqz (local.get 0)) (then (throw $e))))
      (catch $e (i32.const -5))))
  ;; a branch out of a catch body to an outer block; a br_if to the try's label from its body
  (func (export "br_out_of_catch") (param i32) (result i32)
    (block $out (result i32)
      (try (result i32)
        (do (br_if 0 (i32.const 8) (local.get 0)) (throw $f (i32.const 5)))
        (catch $f (br $out (i32.mul (i32.const 3)))))
      (i32.const 1000) (i32.add)))
  ;; a loop around a try: each iteration throws and catches; a local carries the sum
  (func (export "loop_try") (param i32) (result i32) (local $s i32)
    (loop $l
      (try
        (do (throw $f (local.get 0)))
        (catch $f (local.get $s) (i32.add) (local.set $s)))
      (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l))
    (local.get $s))
  ;; return_call out of a try: the callee's exception is not caught by the caller's try
  (func $thrower (throw $e))
  (func (export "tail_out_of_try") (result i32)
    (try (result i32)
      (do (call $tail_try) (i32.const 0))
      (catch $e (i32.const 77))))
  (func $tail_try
    (try (do (return_call $thrower)) (catch $e (unreachable))))
  ;; traps are not exceptions
  (func (export "trap_not_caught") (result i32)
    (try (result i32) (do (unreachable)) (catch_all (i32.const 1))))
  ;; catch_all then rethrow out of the function
  (func (export "rethrow_uncaught")
    (try (do (call $throw_t (i32.const 1))) (catch_all (rethrow 0))))
  ;; v128 results of catch bodies (two slots each, moved down over the exnref at the end)
  (func (export "v128_result") (param i32) (result v128)
    (try (result v128)
      (do (if (local.get 0) (then (call $throw_v))) (v128.const i32x4 9 9 9 9))
      (catch $v (drop))
      (catch_all (v128.const i32x4 7 7 7 7))))
  (func (export "v128_multi") (result f64 v128)
    (try (result f64 v128)
      (do (call $throw_v) (unreachable))
      (catch $v (call $swap))))
  (func $swap (param v128 f64) (result f64 v128) (local.get 1) (local.get 0))
  ;; a try in dead code, a catch-less try
  (func (export "dead_and_catchless") (result i32)
    (block (result i32)
      (i32.const 6)
      (br 0)
      (try (result i32) (do (throw $e)) (catch $e (i32.const -1))))
    (try (param i32) (result i32) (do (i32.const 1) (i32.add)))))
(assert_return (invoke "catch_deep" (i32.const 0)) (i64.const 1042))
(assert_return (invoke "catch_deep" (i32.const 50)) (i64.const 1042))
(assert_return (invoke "catch_v") (i32.const 6))
(assert_return (invoke "rethrow_outer" (i32.const 5)) (i32.const 105))
(assert_return (invoke "rethrow_outer_2" (i32.const 5)) (i32.const 205))
(assert_return (invoke "rethrow_after_work" (i32.const 17)) (i32.const 17))
(assert_return (invoke "delegate_chain") (i32.const 77))
(assert_return (invoke "delegate_across_frames" (i32.const 3)) (i32.const 4))
(assert_return (invoke "delegate_from_catch") (i32.const 19))
(assert_return (invoke "try_params" (i32.const 1)) (i32.const 11))
(assert_return (invoke "try_params" (i32.const 0)) (i32.const -5))
(assert_return (invoke "br_out_of_catch" (i32.const 1)) (i32.const 1008))
(assert_return (invoke "br_out_of_catch" (i32.const 0)) (i32.const 15))
(assert_return (invoke "loop_try" (i32.const 4)) (i32.const 10))
(assert_return (invoke "tail_out_of_try") (i32.const 77))
(assert_trap (invoke "trap_not_caught") "unreachable")
(assert_exception (invoke "rethrow_uncaught"))
(assert_return (invoke "dead_and_catchless") (i32.const 7))
(assert_return (invoke "v128_result" (i32.const 1)) (v128.const i32x4 1 2 3 4))
(assert_return (invoke "v128_result" (i32.const 0)) (v128.const i32x4 9 9 9 9))
(assert_return (invoke "v128_multi") (f64.const 2.5) (v128.const i32x4 1 2 3 4))
;; an exception does not cross a host call: the spec runner's host functions are not
;; involved here; the engine's own test (tests/unit/test_interp.c) checks that
(assert_invalid (module (func (try (do) (catch_all (rethrow 1))))) "invalid rethrow label")
(assert_invalid (module (func (try (do (try (do) (delegate 2))) (catch_all)))) "unknown label")
