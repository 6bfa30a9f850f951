;; imports test:math/ops@0.2.0 and test:io/out@1.0.0, exports test:app/api (add re-exported)
(component
  (import "test:math/ops@0.2.0" (instance $ops (export "add" (func (param "a" u32) (param "b" u32) (result u32)))))
  (import "test:io/out@1.0.0" (instance $out (export "write" (func (param "n" u32)))))
  (alias export $ops "add" (func $add))
  (alias export $out "write" (func $write))
  (instance $api (export "add" (func $add)) (export "write" (func $write)))
  (export "test:app/api" (instance $api))
)
