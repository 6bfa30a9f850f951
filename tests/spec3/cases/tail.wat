(module
  (func $f (export "f") (param i32) (result i32) (return_call $g (local.get 0)))
  (func $g (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))
