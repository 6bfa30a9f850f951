;; wkit: exceptions in a store with a GC heap are collectable (lib/interp/gc.h "Exceptions"): 300
;; exceptions each carrying a 1 MiB array are thrown, caught as exnrefs and dropped; with the
;; runner's --max-memory=64 MiB (also the GC heap's limit, suite-spec3-exec.sh) that is only
;; possible if unreachable exceptions, and the arrays only they hold, are freed. Exceptions that
;; stay reachable (an exnref in a global, in an exnref table, in a struct field, in a local) keep
;; their payloads through the collections, and rethrowing them gives the payload back intact.
(module
  (type $bytes (array (mut i8)))
  (type $box (struct (field (mut exnref))))
  (tag $big (param (ref $bytes) i32))
  (global $g (mut exnref) (ref.null exn))
  (global $b (mut (ref null $box)) (ref.null $box))
  (table $t 1 exnref)

  ;; throw an exception carrying a fresh 1 MiB array whose first byte is n; catch it as exnref
  (func $catch (param $n i32) (result exnref)
    (local $a (ref $bytes))
    (local.set $a (array.new_default $bytes (i32.const 1048576)))
    (array.set $bytes (local.get $a) (i32.const 0) (local.get $n))
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (throw $big (local.get $a) (local.get $n)))
      (unreachable)))
  ;; the payload of exnref e: its array's first byte + 1000 * its i32
  (func $value (param $e exnref) (result i32)
    (local $n i32)
    (block $h (result (ref $bytes) i32)
      (try_table (catch $big $h) (throw_ref (local.get $e)))
      (unreachable))
    (local.set $n)
    (i32.add (array.get_u $bytes (i32.const 0)) (i32.mul (local.get $n) (i32.const 1000))))

  ;; 300 exceptions of 1 MiB each, dropped; the ones of steps 1, 2, 3 kept in the global, the
  ;; table and the struct, a local holds step 4's; the result adds up the four payloads
  (func (export "churn") (result i32)
    (local $i i32) (local $keep exnref)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eq (local.get $i) (i32.const 1)) (then (global.set $g (call $catch (i32.const 1))))
        (else (if (i32.eq (local.get $i) (i32.const 2)) (then (table.set $t (i32.const 0) (call $catch (i32.const 2))))
          (else (if (i32.eq (local.get $i) (i32.const 3)) (then (global.set $b (struct.new $box (call $catch (i32.const 3)))))
            (else (if (i32.eq (local.get $i) (i32.const 4)) (then (local.set $keep (call $catch (i32.const 4))))
              (else (drop (call $catch (i32.and (local.get $i) (i32.const 127))))))))))))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 300))))
    (i32.add
      (i32.add (call $value (global.get $g)) (call $value (table.get $t (i32.const 0))))
      (i32.add (call $value (struct.get $box 0 (ref.as_non_null (global.get $b)))) (call $value (local.get $keep)))))
  ;; after more churn, the kept ones are still intact
  (func (export "again") (result i32)
    (local $i i32)
    (loop $l
      (drop (call $catch (i32.const 9)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 200))))
    (i32.add
      (i32.add (call $value (global.get $g)) (call $value (table.get $t (i32.const 0))))
      (call $value (struct.get $box 0 (ref.as_non_null (global.get $b))))))
)
;; 1001 + 2002 + 3003 + 4004
(assert_return (invoke "churn") (i32.const 10010))
(assert_return (invoke "again") (i32.const 6006))
