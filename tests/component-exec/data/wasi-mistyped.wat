;; A component importing wasi:cli/environment@0.2.0 with initial-cwd returning u32 (the WIT says
;; option<string>): the WASI host declares its types, so wrun must refuse it at instantiation
;; naming the import, the function and the difference (suite-wrun.sh).
(component
  (import "wasi:cli/environment@0.2.0" (instance $env
    (export "get-arguments" (func (result (list string))))
    (export "initial-cwd" (func (result u32)))))
  (core module $M (func (export "run") (result i32) (i32.const 0)))
  (core instance $m (instantiate $M))
  (func (export "f") (result u32) (canon lift (core func $m "run")))
)
