;; wrun checks: an import the host does not define, a wasi:cli/run export that
;; calls it, an endless loop (limits) and a trap.
(component
  (import "test:x/missing@1.0.0" (instance $m (export "f" (func))))
  (alias export $m "f" (func $f))
  (core func $f_c (canon lower (func $f)))
  (core module $M
    (import "x" "f" (func $f))
    (func (export "run") (result i32) (call $f) (i32.const 0))
    (func (export "spin") (result i32) (loop $l (br $l)) (i32.const 0))
    (func (export "boom") (result i32) unreachable)
    (func (export "ok") (result i32) (i32.const 1)))
  (core instance $i (instantiate $M (with "x" (instance (export "f" (func $f_c))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (func $spin (result u32) (canon lift (core func $i "spin")))
  (func $boom (result u32) (canon lift (core func $i "boom")))
  (func $ok (result (result)) (canon lift (core func $i "ok")))
  (instance $run_i (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run_i))
  (export "spin" (func $spin))
  (export "boom" (func $boom))
  (export "fails" (func $ok))
)
