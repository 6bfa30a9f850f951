;; Grows memory by 100 pages (6.4 MiB); traps (unreachable) if the grow fails,
;; as a guest's allocator would abort. With --max-memory 1MiB it must fail.
(module
  (memory (export "memory") 1)
  (func $grow_or_die (export "_start")
    (if (i32.eq (memory.grow (i32.const 100)) (i32.const -1))
      (then unreachable))))
