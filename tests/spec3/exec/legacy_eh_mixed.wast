;; wkit: legacy exception handling (try/catch/catch_all/delegate/rethrow) mixed with try_table
;; in one module, in lib/interp: delegate to a try_table's label (its catch clauses apply),
;; throw_ref of an exnref caught by try_table inside a legacy try (caught by its catch), rethrow
;; caught by a try_table's catch_ref (the same exception, payload intact), a try_table inside a
;; catch_all body catching that body's rethrow.
;; wabt 1.0.32 reads the legacy syntax but not try_table or exnref, the wasm-tools fallback
;; (tests/spec3/convert3.sh) the other way round: the module below is this text, encoded by
;; wkit's WAT parser (lib/encode/wat_core.c; its name section included):
;;   (module
;;     (tag $f (param i32))
;;     (func (export "delegate_to_try_table") (result i32)
;;       (block $h (result i32)
;;         (try_table $tt (catch $f $h)
;;           (try (do (throw $f (i32.const 33))) (delegate $tt)))
;;         (i32.const -1)))
;;     (func (export "mixed_throw_ref") (result i32)
;;       (try (result i32)
;;         (do
;;           (block $h (result exnref)
;;             (try_table (catch_all_ref $h) (throw $f (i32.const 4)))
;;             (unreachable))
;;           (throw_ref))
;;         (catch $f (i32.const 40) (i32.add))))
;;     (func (export "rethrow_to_try_table") (result i32)
;;       (block $h (result i32 exnref)
;;         (try_table (catch_ref $f $h)
;;           (try (do (throw $f (i32.const 12))) (catch_all (rethrow 0))))
;;         (unreachable))
;;       (drop))
;;     (func (export "try_table_in_catch") (result i32)
;;       (try (result i32)
;;         (do (throw $f (i32.const 2)))
;;         (catch_all
;;           (block $h (result i32)
;;             (try_table (catch $f $h) (rethrow 2))
;;             (i32.const -1))))))
(module binary
  "\00\61\73\6d\01\00\00\00\01\0e\03\60\01\7f\00\60\00\01\7f\60\00\02\7f\69\03\05\04\01\01\01\01\0d"
  "\03\01\00\00\07\57\04\15\64\65\6c\65\67\61\74\65\5f\74\6f\5f\74\72\79\5f\74\61\62\6c\65\00\00\0f"
  "\6d\69\78\65\64\5f\74\68\72\6f\77\5f\72\65\66\00\01\14\72\65\74\68\72\6f\77\5f\74\6f\5f\74\72\79"
  "\5f\74\61\62\6c\65\00\02\12\74\72\79\5f\74\61\62\6c\65\5f\69\6e\5f\63\61\74\63\68\00\03\0a\64\04"
  "\16\00\02\7f\1f\40\01\00\00\00\06\40\41\21\08\00\18\00\0b\41\7f\0b\0b\19\00\06\7f\02\69\1f\40\01"
  "\03\00\41\04\08\00\0b\00\0b\0a\07\00\41\28\6a\0b\0b\18\00\02\02\1f\40\01\01\00\00\06\40\41\0c\08"
  "\00\19\09\00\0b\0b\00\0b\1a\0b\18\00\06\7f\41\02\08\00\19\02\7f\1f\40\01\00\00\00\09\02\0b\41\7f"
  "\0b\0b\0b\00\26\04\6e\61\6d\65\03\19\04\00\02\00\01\68\01\02\74\74\01\01\01\01\68\02\01\00\01\68"
  "\03\01\01\01\68\0b\04\01\00\01\66"
)
(assert_return (invoke "delegate_to_try_table") (i32.const 33))
(assert_return (invoke "mixed_throw_ref") (i32.const 44))
(assert_return (invoke "rethrow_to_try_table") (i32.const 12))
(assert_return (invoke "try_table_in_catch") (i32.const 2))
