;; Unbounded recursion: "call stack exhausted" (at --max-stack or the default).
(module
  (memory (export "memory") 1)
  (func $down (param i64) (result i64)
    (i64.add (call $down (i64.add (local.get 0) (i64.const 1))) (local.get 0)))
  (func $start (export "_start")
    (drop (call $down (i64.const 0)))))
