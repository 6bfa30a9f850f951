;; wkit bench: the "binary-trees" benchmark (Computer Language Benchmarks Game: allocate, link and
;; traverse many short-lived binary trees while one long-lived tree stays reachable) in WebAssembly
;; 3.0 GC: every node is a struct allocated on the engine's GC heap. run(max) follows the classic
;; program: a stretch tree of depth max+1, a long-lived tree of depth max, then for depth 4, 6,
;; ... max: 2^(max - depth + 4) trees of that depth built and checked. The result is the sum of
;; all node counts (a checksum the bench compares across engines).
(module
  (type $node (struct (field $l (ref null $node)) (field $r (ref null $node))))
  (func $make (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $d))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else
        (local.set $d (i32.sub (local.get $d) (i32.const 1)))
        (struct.new $node (call $make (local.get $d)) (call $make (local.get $d))))))
  (func $check (param $n (ref $node)) (result i32)
    (local $l (ref null $node))
    (local.set $l (struct.get $node $l (local.get $n)))
    (if (result i32) (ref.is_null (local.get $l))
      (then (i32.const 1))
      (else
        (i32.add (i32.const 1)
          (i32.add (call $check (ref.as_non_null (local.get $l)))
                   (call $check (ref.as_non_null (struct.get $node $r (local.get $n)))))))))
  (func (export "run") (param $max i32) (result i64)
    (local $sum i64) (local $long (ref null $node)) (local $d i32) (local $it i32) (local $i i32)
    (local.set $sum (i64.extend_i32_u (call $check (call $make (i32.add (local.get $max) (i32.const 1))))))
    (local.set $long (call $make (local.get $max)))
    (local.set $d (i32.const 4))
    (block $done
      (loop $depths
        (br_if $done (i32.gt_s (local.get $d) (local.get $max)))
        (local.set $it (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $max) (local.get $d)) (i32.const 4))))
        (local.set $i (i32.const 0))
        (loop $trees
          (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (call $check (call $make (local.get $d))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $trees (i32.lt_u (local.get $i) (local.get $it))))
        (local.set $d (i32.add (local.get $d) (i32.const 2)))
        (br $depths)))
    (i64.add (local.get $sum) (i64.extend_i32_u (call $check (ref.as_non_null (local.get $long)))))))
