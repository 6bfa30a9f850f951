(module (tag (param i64)) (func (result i32) (try (result i32) (do (i32.const 1)) (catch 0))))
