;; The older ("v1") WIT package encoding: one export `ns:pkg/wit` whose component type
;; exports the interfaces and worlds (wit-parser decoding.rs decode_wit_v1_package).
(component
  (type $pkg (component
    (type $i (instance
      (type $f (func (param "x" u32) (result string)))
      (export "f" (func (type $f)))
    ))
    (export "a:b/x" (instance (type $i)))
    (type $w (component
      (type $i2 (instance
        (type $f (func (param "x" u32) (result string)))
        (export "f" (func (type $f)))
      ))
      (import "a:b/x" (instance (type $i2)))
    ))
    (export "a:b/w" (component (type $w)))
  ))
  (export "a:b/wit" (type $pkg))
)
