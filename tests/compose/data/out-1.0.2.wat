;; exports test:io/out@1.0.2, imports test:util/log@1.0.0
(component
  (import "test:util/log@1.0.0" (instance $log
    (export "sink" (type $sink (sub resource)))
    (export "make" (func (result (own $sink))))))
  (core module $m (func (export "write") (param i32)))
  (core instance $i (instantiate $m))
  (func $write (param "n" u32) (canon lift (core func $i "write")))
  (instance $out (export "write" (func $write)))
  (export "test:io/out@1.0.2" (instance $out))
)
