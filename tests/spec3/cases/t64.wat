(module (table i64 1 funcref) (func (export "f") (result i64) (table.size)))
