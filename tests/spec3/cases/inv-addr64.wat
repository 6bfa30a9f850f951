(module (memory i64 1) (func (drop (i32.load (i32.const 0)))))
