(module (type $ii (func (param i32) (result i32)))
  (global (ref $ii) (ref.null $ii)))
