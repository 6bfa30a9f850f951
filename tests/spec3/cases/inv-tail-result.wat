(module (func (result i64) (return_call 1 (i32.const 0))) (func (param i32) (result i32) (local.get 0)))
