(module (type $ii (func (param i32) (result i32))) (table 1 (ref $ii)))
