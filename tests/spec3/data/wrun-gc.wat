;; wkit: `wrun --invoke` with WebAssembly 3.0 GC values (tests/spec3/suite-wrun-refs.sh): results
;; of the any hierarchy print as wasmtime's Val::AnyRef (<anyref> / <null anyref>, an i31 too),
;; a nullable any-hierarchy parameter takes `null`.
(module
  (type $s (struct (field i32)))
  (type $a (array i8))
  (func (export "any") (result anyref) (struct.new $s (i32.const 1)))
  (func (export "anynull") (result anyref) (ref.null any))
  (func (export "eq") (result eqref) (array.new_default $a (i32.const 3)))
  (func (export "i31") (result i31ref) (ref.i31 (i32.const 42)))
  (func (export "i31null") (result i31ref) (ref.null i31))
  (func (export "struct") (result (ref $s)) (struct.new $s (i32.const 2)))
  (func (export "structref") (result structref) (ref.null struct))
  (func (export "array") (result arrayref) (array.new_default $a (i32.const 0)))
  (func (export "none") (result nullref) (ref.null none))
  (func (export "isnull") (param eqref) (result i32) (ref.is_null (local.get 0)))
  (func (export "get") (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0)))
  (func (export "two") (result i32 anyref) (i32.const 7) (ref.i31 (i32.const 1)))
  (func (export "big") (param i32) (result i32) (array.len (array.new_default $a (local.get 0)))))
