;; exports test:math/ops@0.2.0, imports test:util/log@1.0.0 (a resource and a function using it)
(component
  (import "test:util/log@1.0.0" (instance $log
    (export "sink" (type $sink (sub resource)))
    (export "make" (func (result (own $sink))))
    (export "[method]sink.put" (func (param "self" (borrow $sink)) (param "n" u32)))))
  (core module $m (func (export "add") (param i32 i32) (result i32) local.get 0))
  (core instance $i (instantiate $m))
  (func $add (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (instance $ops (export "add" (func $add)))
  (export "test:math/ops@0.2.0" (instance $ops))
)
