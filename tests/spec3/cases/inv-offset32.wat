(module (memory 1) (memory i64 1) (func (drop (i32.load 0 offset=4294967296 (i32.const 0)))))
