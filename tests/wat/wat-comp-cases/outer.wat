;; implicit outer aliases ($names only defined in an enclosing component or type), alias chains and
;; inline instantiation arguments
(component $root
  (type $t (record (field "a" u32)))
  (core type $ct (func (param i32)))
  (core module $m)
  (component $c1
    (type $l (list $t))
    (type (instance (export "t" (type (eq $t))) (export "f" (func (param "x" $t)))))
    (core type (module (alias outer $root $ct (type $x)) (import "a" "b" (func (type $x)))))
    (core instance (instantiate $m))
    (component $c2
      (import "i" (instance $i (export "j" (instance (export "k" (func))))))
      (alias outer $root $t (type))
      (core func (canon lower (func $i "j" "k")))
      (export "k" (func $i "j" "k"))
      (type (list $l))
    )
  )
  (instance $x (instantiate $c1))
  (instance (instantiate $c1 (with "a" (instance (export "t" (type $t)) (export "m" (core module $m))))))
  (start 0)
)
