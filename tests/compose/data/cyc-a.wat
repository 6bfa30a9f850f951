;; exports test:c/a@1.0.0, imports test:c/b@1.0.0
(component
  (import "test:c/b@1.0.0" (instance $b (export "g" (func))))
  (core module $m (func (export "f")))
  (core instance $i (instantiate $m))
  (func $f (canon lift (core func $i "f")))
  (instance $a (export "f" (func $f)))
  (export "test:c/a@1.0.0" (instance $a))
)
