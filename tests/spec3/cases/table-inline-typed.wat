;; Core 3.0 text: a table of a typed reference type with inline elements (br_table.wast's form)
(module (type $t (func)) (func $tf) (table $t (ref null $t) (elem $tf))
  (func (result i32) (ref.is_null (table.get $t (i32.const 0)))))
