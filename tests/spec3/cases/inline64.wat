(module (func $f) (table $t i64 funcref (elem $f $f))
  (memory i64 (data "abc"))
  (func (result i32) (i32.load offset=5000000000 (i64.const 0))))
