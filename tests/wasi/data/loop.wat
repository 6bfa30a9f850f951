;; An endless loop: only --fuel or --timeout can stop it.
(module
  (memory (export "memory") 1)
  (func $spin (export "_start")
    (loop $l (br $l))))
