;; imports test:c/a@1.0.0
(component
  (import "test:c/a@1.0.0" (instance $a (export "f" (func))))
)
