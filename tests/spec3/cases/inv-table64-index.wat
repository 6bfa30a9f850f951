(module (table i64 1 funcref) (func (drop (table.get (i32.const 0)))))
