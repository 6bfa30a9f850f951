;; sock_* on descriptors that are not sockets (wasi-testsuite
;; sock_shutdown-not_sock): ENOTSOCK (57) for stdin, stdout and a preopened
;; directory, EBADF (8) for a closed fd. proc_exit(0) when every result is
;; as expected, else proc_exit(100 + the number of the first wrong check).
(module
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func $send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $expect (param $got i32) (param $want i32) (param $n i32)
    (if (i32.ne (local.get $got) (local.get $want))
      (then (call $exit (i32.add (i32.const 100) (local.get $n))))))
  (func (export "_start")
    (call $expect (call $shutdown (i32.const 0) (i32.const 3)) (i32.const 57) (i32.const 1))
    (call $expect (call $shutdown (i32.const 1) (i32.const 1)) (i32.const 57) (i32.const 2))
    (call $expect (call $shutdown (i32.const 3) (i32.const 2)) (i32.const 57) (i32.const 3))
    (call $expect (call $shutdown (i32.const 99) (i32.const 3)) (i32.const 8) (i32.const 4))
    (call $expect (call $recv (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 16) (i32.const 20))
                  (i32.const 57) (i32.const 5))
    (call $expect (call $send (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 16))
                  (i32.const 57) (i32.const 6))
    (call $expect (call $accept (i32.const 3) (i32.const 0) (i32.const 16)) (i32.const 57) (i32.const 7))
    (call $exit (i32.const 0))))
