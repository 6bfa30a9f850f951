;; wrun --timeout during a host wait (suite-wrun.sh): f() blocks on a 60 s monotonic-clock pollable,
;; then returns 7 with no loop back-edge or call after the wait. The timeout cuts the wait short; the
;; call must trap with the --timeout message (exit 134), not return 7 early as if the wait had ended.
(component
  (import "wasi:io/poll@0.2.0" (instance $p (export "pollable" (type (sub resource)))
     (export "[method]pollable.block" (func (param "self" (borrow 0))))))
  (alias export $p "pollable" (type $pollable))
  (import "wasi:clocks/monotonic-clock@0.2.0" (instance $c (alias outer 1 $pollable (type $pl)) (export "pollable" (type (eq $pl)))
     (export "subscribe-duration" (func (param "when" u64) (result (own 1))))))
  (alias export $c "subscribe-duration" (func $sub))
  (alias export $p "[method]pollable.block" (func $block))
  (core func $sub_c (canon lower (func $sub)))
  (core func $block_c (canon lower (func $block)))
  (core module $M
    (import "x" "sub" (func $sub (param i64) (result i32)))
    (import "x" "block" (func $block (param i32)))
    (func (export "f") (result i32) (call $block (call $sub (i64.const 60000000000))) (i32.const 7)))
  (core instance $m (instantiate $M (with "x" (instance (export "sub" (func $sub_c)) (export "block" (func $block_c))))))
  (func (export "f") (result u32) (canon lift (core func $m "f")))
)
