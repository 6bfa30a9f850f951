;; Exports for `wrun --invoke`; _initialize sets $g so `get_g` shows it ran.
(module
  (global $g (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $g (i32.const 42)))
  (func (export "get_g") (result i32) (global.get $g))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "mul") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
  (func (export "half") (param f32) (result f32) (f32.div (local.get 0) (f32.const 2)))
  (func (export "neg64") (param i64) (result i64) (i64.sub (i64.const 0) (local.get 0)))
  (func (export "pair") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
  (func (export "nothing")))
