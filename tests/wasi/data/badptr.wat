;; Hostile pointers: fd_write with an iovec past the end of memory, and with a
;; huge iovec count; the host must return an errno (EFAULT 21 / EINVAL 28),
;; never crash. The errnos are printed as "errno=NN" lines via fd_write.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "errno=00\n")
  ;; print "errno=NN\n" for a two-digit errno
  (func $show (param $e i32)
    (i32.store8 (i32.const 106) (i32.add (i32.const 48) (i32.div_u (local.get $e) (i32.const 10))))
    (i32.store8 (i32.const 107) (i32.add (i32.const 48) (i32.rem_u (local.get $e) (i32.const 10))))
    (i32.store (i32.const 200) (i32.const 100))
    (i32.store (i32.const 204) (i32.const 9))
    (drop (call $w (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 208))))
  (func (export "_start")
    ;; iovec {buf = 65530, len = 100}: past the end
    (i32.store (i32.const 0) (i32.const 65530))
    (i32.store (i32.const 4) (i32.const 100))
    (call $show (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    ;; iovs pointer itself out of bounds
    (call $show (call $w (i32.const 1) (i32.const 65532) (i32.const 1) (i32.const 8)))
    ;; an absurd iovec count
    (call $show (call $w (i32.const 1) (i32.const 0) (i32.const 0x10000000) (i32.const 8)))
    ;; nwritten pointer out of bounds
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 0))
    (call $show (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 0xfffffffc)))
    ;; path_open with a path past the end, on fd 3
    (call $show (call $open (i32.const 3) (i32.const 0) (i32.const 65000) (i32.const 1000)
                            (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 300)))
    ;; args_get into the last bytes of memory
    (call $show (call $args_get (i32.const 65535) (i32.const 65535)))))
