;; wkit: WebAssembly 3.0 GC in lib/interp beyond the spec corpus: the collector (allocating far
;; more than the heap limit, the runner's --max-memory=64 MiB in suite-spec3-exec.sh, while live
;; lists are reachable from a global, from locals, from an exnref kept in a global, and from an
;; array; the limit is also the GC heap's: an object beyond it traps), type canonicalisation
;; across modules (casts, call_indirect and imports between instances whose rec groups are equal
;; but written separately, declared subtypes across modules), the extern/any round trip
;; (extern.convert_any (any.convert_extern x)) == x, i31 through extern and back, a host value in
;; any is none of eq/i31/struct/array), v128 fields, and (as every file here) the AOT cache.

;; ---- the collector ----
(module $heap
  (type $node (struct (field $v i32) (field $next (ref null $node))))
  (type $bytes (array (mut i8)))
  (type $refs (array (mut (ref null $node))))
  (tag $carry (param (ref null $node)))
  (global $head (mut (ref null $node)) (ref.null $node))
  (global $keep (mut exnref) (ref.null exn))
  (global $arr (mut (ref null $refs)) (ref.null $refs))

  ;; a list n-1 .. 0
  (func $list (param $n i32) (result (ref null $node))
    (local $l (ref null $node))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (local.set $l (struct.new $node (local.get $n) (local.get $l)))
        (br $next)))
    (local.get $l))
  ;; sum of a list's values, or -1 if its length is not n
  (func $sum (param $l (ref null $node)) (param $n i32) (result i32)
    (local $s i32)
    (block $done
      (loop $next
        (br_if $done (ref.is_null (local.get $l)))
        (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (local.set $l (struct.get $node $next (local.get $l)))
        (br $next)))
    (if (result i32) (local.get $n) (then (i32.const -1)) (else (local.get $s))))
  ;; allocate `iters` garbage arrays of `size` bytes, each filled and checked
  (func $churn (param $iters i32) (param $size i32)
    (local $a (ref null $bytes))
    (loop $next
      (local.set $a (array.new $bytes (local.get $iters) (local.get $size)))
      (if (i32.ne (array.get_u $bytes (local.get $a) (i32.sub (local.get $size) (i32.const 1)))
                  (i32.and (local.get $iters) (i32.const 255)))
        (then unreachable))
      (local.set $iters (i32.sub (local.get $iters) (i32.const 1)))
      (br_if $next (local.get $iters))))

  (func (export "setup") (param $n i32)
    (global.set $head (call $list (local.get $n)))
    (global.set $arr (array.new $refs (call $list (local.get $n)) (i32.const 3)))
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $carry (call $list (local.get $n))))
      unreachable)
    (global.set $keep))

  ;; keeps a list in a local and one growing in a local across the churn; checks all lists
  (func (export "stress") (param $n i32) (param $iters i32) (param $size i32) (result i32)
    (local $mine (ref null $node)) (local $grow (ref null $node)) (local $i i32) (local $ok i32)
    (local.set $mine (call $list (local.get $n)))
    (loop $next
      (call $churn (i32.const 64) (local.get $size))
      (local.set $grow (struct.new $node (local.get $i) (local.get $grow)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $iters))))
    ;; 1 for each intact list: the local, the growing local, the global, the array's element 2
    (local.set $ok (i32.eq (call $sum (local.get $mine) (local.get $n))
                           (i32.shr_u (i32.mul (local.get $n) (i32.sub (local.get $n) (i32.const 1))) (i32.const 1))))
    (local.set $ok (i32.add (local.get $ok)
      (i32.eq (call $sum (local.get $grow) (local.get $iters))
              (i32.shr_u (i32.mul (local.get $iters) (i32.sub (local.get $iters) (i32.const 1))) (i32.const 1)))))
    (local.set $ok (i32.add (local.get $ok)
      (i32.eq (call $sum (global.get $head) (local.get $n))
              (i32.shr_u (i32.mul (local.get $n) (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
    (i32.add (local.get $ok)
      (i32.eq (call $sum (array.get $refs (global.get $arr) (i32.const 2)) (local.get $n))
              (i32.shr_u (i32.mul (local.get $n) (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))

  ;; the list carried by the exception kept in $keep (only reachable through the exnref)
  (func (export "from_exn") (param $n i32) (result i32)
    (block $h (result (ref null $node))
      (try_table (catch $carry $h) (throw_ref (global.get $keep)))
      unreachable)
    (local.get $n)
    (call $sum))
  ;; one object too large for the heap: out of memory
  (func (export "huge") (result i32)
    (array.len (array.new_default $bytes (i32.const 0x7fffffff))))
)
(invoke "setup" (i32.const 1000))
;; 64 * 320 arrays of 16 KiB: 320 MiB allocated in all, five times the heap limit of the suite's runs
(assert_return (invoke "stress" (i32.const 1000) (i32.const 320) (i32.const 16384)) (i32.const 4))
(assert_return (invoke "from_exn" (i32.const 1000)) (i32.const 499500))
(assert_trap (invoke "huge") "out of memory")
;; the store is still usable after that trap
(assert_return (invoke "stress" (i32.const 1000) (i32.const 10) (i32.const 100)) (i32.const 4))

;; ---- types across modules ----
(module $M1
  (rec (type $pair (sub (struct (field i32) (field (ref null $pair))))) (type $f (func (param i32) (result i32))))
  (type $bin (sub (func (param i32) (result i32))))
  (func $twice (export "twice") (type $bin) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "make") (param i32) (result anyref) (struct.new $pair (local.get 0) (ref.null $pair)))
  (func (export "is_pair") (param anyref) (result i32) (ref.test (ref $pair) (local.get 0)))
  (func (export "get") (param anyref) (result i32) (struct.get $pair 0 (ref.cast (ref $pair) (local.get 0))))
)
(register "M1" $M1)
(module $M2
  ;; the same rec group, written again: the same types at run time
  (rec (type $pair (sub (struct (field i32) (field (ref null $pair))))) (type $f (func (param i32) (result i32))))
  ;; a group of one struct with the same fields but not in that rec group: another type
  (type $other (sub (struct (field i32) (field (ref null $other)))))
  ;; a declared subtype of $pair
  (type $triple (sub $pair (struct (field i32) (field (ref null $pair)) (field i64))))
  (type $bin (sub (func (param i32) (result i32))))
  (type $bin2 (sub $bin (func (param i32) (result i32))))
  (import "M1" "make" (func $make (param i32) (result anyref)))
  (import "M1" "is_pair" (func $is_pair (param anyref) (result i32)))
  (import "M1" "get" (func $get (param anyref) (result i32)))
  (import "M1" "twice" (func $twice (type $bin)))
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $twice $inc)
  (func $inc (type $bin2) (i32.add (local.get 0) (i32.const 1)))
  (func (export "cast_theirs") (param i32) (result i32)
    (struct.get $pair 0 (ref.cast (ref $pair) (call $make (local.get 0)))))
  (func (export "test_other") (result i32) (ref.test (ref $other) (call $make (i32.const 1))))
  (func (export "theirs_test_mine") (result i32)
    (i32.add (call $is_pair (struct.new $pair (i32.const 1) (ref.null $pair)))
             (call $is_pair (struct.new $triple (i32.const 1) (ref.null $pair) (i64.const 2)))))
  (func (export "theirs_get_mine") (result i32)
    (call $get (struct.new $triple (i32.const 41) (ref.null $pair) (i64.const 2))))
  (func (export "theirs_test_other") (result i32)
    (call $is_pair (struct.new $other (i32.const 1) (ref.null $other))))
  ;; call_indirect with the supertype $bin: both $twice (type $bin of M1) and $inc ($bin2 <: $bin)
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect $t (type $bin) (local.get 0) (local.get 1)))
  (func (export "indirect_sub") (param i32 i32) (result i32)
    (call_indirect $t (type $bin2) (local.get 0) (local.get 1)))
)
(assert_return (invoke "cast_theirs" (i32.const 7)) (i32.const 7))
(assert_return (invoke "test_other") (i32.const 0))
(assert_return (invoke "theirs_test_mine") (i32.const 2))
(assert_return (invoke "theirs_get_mine") (i32.const 41))
(assert_return (invoke "theirs_test_other") (i32.const 0))
(assert_return (invoke "indirect" (i32.const 5) (i32.const 0)) (i32.const 10))
(assert_return (invoke "indirect" (i32.const 5) (i32.const 1)) (i32.const 6))
(assert_trap (invoke "indirect_sub" (i32.const 5) (i32.const 0)) "indirect call type mismatch")
(assert_return (invoke "indirect_sub" (i32.const 5) (i32.const 1)) (i32.const 6))
;; a function of a subtype matches an import of its supertype; not the other way round
(module $M3
  (type $bin (sub (func (param i32) (result i32))))
  (type $bin2 (sub $bin (func (param i32) (result i32))))
  (func (export "f2") (type $bin2) (local.get 0))
  (func (export "f1") (type $bin) (local.get 0))
)
(register "M3" $M3)
(module
  (type $bin (sub (func (param i32) (result i32))))
  (import "M3" "f2" (func (type $bin)))
)
(assert_unlinkable
  (module
    (type $bin (sub (func (param i32) (result i32))))
    (type $bin2 (sub $bin (func (param i32) (result i32))))
    (import "M3" "f1" (func (type $bin2))))
  "incompatible import type")

;; ---- extern <-> any ----
(module
  (type $s (struct (field i32)))
  (func (export "roundtrip") (param externref) (result externref)
    (extern.convert_any (any.convert_extern (local.get 0))))
  (func (export "internalize") (param externref) (result anyref) (any.convert_extern (local.get 0)))
  (func (export "kinds") (param externref) (result i32)
    (local $a anyref)
    (local.set $a (any.convert_extern (local.get 0)))
    ;; any: 1; eq, i31, struct, array: 0 for a host value
    (i32.add (i32.mul (ref.test (ref any) (local.get $a)) (i32.const 16))
      (i32.add (i32.mul (ref.test (ref eq) (local.get $a)) (i32.const 8))
        (i32.add (i32.mul (ref.test (ref i31) (local.get $a)) (i32.const 4))
          (i32.add (i32.mul (ref.test (ref struct) (local.get $a)) (i32.const 2))
                   (ref.test (ref array) (local.get $a)))))))
  (func (export "i31_back") (param i32) (result i32)
    (i31.get_s (ref.cast (ref i31) (any.convert_extern (extern.convert_any (ref.i31 (local.get 0)))))))
  (func (export "struct_back") (result i32)
    (local $o (ref $s))
    (local.set $o (struct.new $s (i32.const 9)))
    (ref.eq (local.get $o) (ref.cast (ref eq) (any.convert_extern (extern.convert_any (local.get $o))))))
  (func (export "null_back") (result i32)
    (ref.is_null (any.convert_extern (extern.convert_any (ref.null any)))))
  (func (export "out") (result externref) (extern.convert_any (struct.new $s (i32.const 1))))
  (func (export "in") (param externref) (result i32)
    (struct.get $s 0 (ref.cast (ref $s) (any.convert_extern (local.get 0)))))
)
(assert_return (invoke "roundtrip" (ref.extern 5)) (ref.extern 5))
(assert_return (invoke "roundtrip" (ref.extern 0)) (ref.extern 0))
(assert_return (invoke "roundtrip" (ref.null extern)) (ref.null extern))
(assert_return (invoke "internalize" (ref.extern 3)) (ref.host 3))
(assert_return (invoke "kinds" (ref.extern 1)) (i32.const 16))
(assert_return (invoke "kinds" (ref.extern 2)) (i32.const 16))
(assert_return (invoke "i31_back" (i32.const -5)) (i32.const -5))
(assert_return (invoke "i31_back" (i32.const 0x3fffffff)) (i32.const 0x3fffffff))
(assert_return (invoke "struct_back") (i32.const 1))
(assert_return (invoke "null_back") (i32.const 1))

;; ---- v128 and packed fields, array.copy overlap ----
(module
  (type $v (struct (field (mut v128)) (field i8) (field (mut i16))))
  (type $va (array (mut v128)))
  (type $b (array (mut i8)))
  (func (export "v") (result i32)
    (local $o (ref $v))
    (local.set $o (struct.new $v (v128.const i32x4 1 2 3 4) (i32.const 0x1ff) (i32.const -2)))
    (struct.set $v 0 (local.get $o) (i32x4.add (struct.get $v 0 (local.get $o)) (v128.const i32x4 10 20 30 40)))
    (i32.add (i32x4.extract_lane 3 (struct.get $v 0 (local.get $o)))
      (i32.add (struct.get_s $v 1 (local.get $o)) (struct.get_u $v 2 (local.get $o)))))
  (func (export "va") (result i32)
    (local $a (ref $va))
    (local.set $a (array.new $va (v128.const i64x2 7 8) (i32.const 4)))
    (array.set $va (local.get $a) (i32.const 2) (v128.const i64x2 9 10))
    (array.fill $va (local.get $a) (i32.const 0) (v128.const i64x2 1 2) (i32.const 1))
    (i32.wrap_i64 (i64.add (i64x2.extract_lane 1 (array.get $va (local.get $a) (i32.const 2)))
      (i64.add (i64x2.extract_lane 0 (array.get $va (local.get $a) (i32.const 0)))
               (i64x2.extract_lane 1 (array.get $va (local.get $a) (i32.const 3)))))))
  (func (export "overlap") (result i32)
    (local $a (ref $b))
    (local.set $a (array.new_fixed $b 6 (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)))
    (array.copy $b $b (local.get $a) (i32.const 1) (local.get $a) (i32.const 0) (i32.const 5))
    ;; 1 1 2 3 4 5
    (i32.add (i32.mul (array.get_u $b (local.get $a) (i32.const 5)) (i32.const 10)) (array.get_u $b (local.get $a) (i32.const 1))))
)
;; 44 + (-1) + 65534
(assert_return (invoke "v") (i32.const 65577))
;; 10 + 1 + 8
(assert_return (invoke "va") (i32.const 19))
(assert_return (invoke "overlap") (i32.const 51))
