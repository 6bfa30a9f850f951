;; exports test:math/ops@0.3.0: add(a: u32, b: u32) -> u32
(component
  (core module $m (func (export "add") (param i32 i32) (result i32) local.get 0))
  (core instance $i (instantiate $m))
  (func $add (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (instance $ops (export "add" (func $add)))
  (export "test:math/ops@0.3.0" (instance $ops))
)
