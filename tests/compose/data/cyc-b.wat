;; exports test:c/b@1.0.0, imports test:c/a@1.0.0
(component
  (import "test:c/a@1.0.0" (instance $a (export "f" (func))))
  (core module $m (func (export "g")))
  (core instance $i (instantiate $m))
  (func $g (canon lift (core func $i "g")))
  (instance $b (export "g" (func $g)))
  (export "test:c/b@1.0.0" (instance $b))
)
