(module (type $ii (func (param i32) (result i32))) (type $v (func))
  (func (param (ref $v)) (result i32) (call_ref $ii (i32.const 0) (local.get 0))))
