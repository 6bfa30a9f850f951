;; C.refs (Core 3.0 3.4.10) counts table initialisers: ref.func $f in a body is declared by the table
(module (type $v (func)) (func $f) (table 2 (ref $v) (ref.func $f))
  (func (result funcref) (ref.func $f)))
