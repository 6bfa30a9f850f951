(module
  (type (struct (field i32) (field i64) (field f32) (field f64)))
  (func (param i32 i64 f32) (result i32) (local i32 i32)
    local.get 0
    drop
    local.get 1
    drop
    local.get 2
    drop
    local.get 4
    drop
    local.get 3)
  (func (param (ref null 0)) (result i32)
    local.get 0
    struct.get 0 1
    drop
    local.get 0
    struct.get 0 2
    drop
    local.get 0
    struct.get 0 0)
)
