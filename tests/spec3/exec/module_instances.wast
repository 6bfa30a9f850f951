;; Core 3.0 script commands `(module definition ...)` and `(module instance ...)`
;; (WebAssembly/spec interpreter/README.md "Scripts", text/parser.mly): neither wast2json 1.0.32
;; nor wasm-tools' parser reads them, tests/tools/wast-json does. Instantiation is generative,
;; the one-name form names the module (the instance is unnamed and current), the no-name form
;; instantiates the last defined module, a module declared with `(module $M ...)` can be
;; instantiated again, and a definition is validated only (its start function does not run).

(module definition $Counter
  (global $n (mut i32) (i32.const 0))
  (func (export "next") (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (global.get $n)))
(module instance $A $Counter)
(module instance $B $Counter)
(assert_return (invoke $A "next") (i32.const 1))
(assert_return (invoke $A "next") (i32.const 2))
(assert_return (invoke $B "next") (i32.const 1))
(module instance $Counter)
(assert_return (invoke "next") (i32.const 1))
(assert_return (invoke $A "next") (i32.const 3))

(module $Plain
  (global $g (mut i32) (i32.const 10))
  (func (export "bump") (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (global.get $g)))
(assert_return (invoke "bump") (i32.const 11))
(module instance $P2 $Plain)
(assert_return (invoke $P2 "bump") (i32.const 11))
(assert_return (invoke $Plain "bump") (i32.const 12))
(module instance)
(assert_return (invoke "bump") (i32.const 11))

;; only validated: instantiating it would trap
(module definition $Traps (func $t unreachable) (start $t))

;; an instance registered under a name is what importers get
(register "counter" $A)
(module
  (import "counter" "next" (func $next (result i32)))
  (func (export "via") (result i32) (call $next)))
(assert_return (invoke "via") (i32.const 4))
(assert_return (invoke $A "next") (i32.const 5))
