;; imports demo:py/greet (the Python greeter exports it) and re-exports it as demo:app/hello
(component
  (import "demo:py/greet" (instance $g (export "greet" (func (param "name" string) (result string)))))
  (export "demo:app/hello" (instance $g))
)
