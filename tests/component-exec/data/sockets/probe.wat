;; Core module of the sockets probe component (world.wit; suite-sockets.sh embeds the world
;; with `jco embed` and makes the component with `jco new`). Import and export names follow
;; wit-component's conventions. Canonical ABI layouts used (CanonicalABI.md, "Flattening" and
;; "Storing"): result<own<R>, error-code> at R: discriminant u8 at +0, payload at +4 (handle
;; i32 or error-code u8); result<_, error-code>: discriminant at +0, code at +1;
;; result<option<ip-address>, error-code>: discriminant at +0, payload at +2 (error-code u8,
;; or option<ip-address>), the same layout in the import's and the export's return area.
(module
  (import "wasi:sockets/instance-network@0.2.12" "instance-network" (func $instance_network (result i32)))
  (import "wasi:sockets/tcp-create-socket@0.2.12" "create-tcp-socket" (func $create_tcp (param i32 i32)))
  (import "wasi:sockets/udp-create-socket@0.2.12" "create-udp-socket" (func $create_udp (param i32 i32)))
  (import "wasi:sockets/ip-name-lookup@0.2.12" "resolve-addresses" (func $resolve (param i32 i32 i32 i32)))
  (import "wasi:sockets/ip-name-lookup@0.2.12" "[method]resolve-address-stream.resolve-next-address"
    (func $next (param i32 i32)))
  (import "wasi:sockets/ip-name-lookup@0.2.12" "[resource-drop]resolve-address-stream" (func $drop_stream (param i32)))
  (import "wasi:sockets/tcp@0.2.12" "[resource-drop]tcp-socket" (func $drop_tcp (param i32)))
  (import "wasi:sockets/udp@0.2.12" "[resource-drop]udp-socket" (func $drop_udp (param i32)))
  (import "wasi:sockets/network@0.2.12" "[resource-drop]network" (func $drop_network (param i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  ;; the import's return area at 16, the export's at 64
  ;; result<own<socket>, error-code> at 16 -> result<_, error-code> at 64; the socket is dropped
  (func $socket_result (param $drop i32) (result i32)
    (if (i32.eqz (i32.load8_u (i32.const 16)))
      (then
        (if (local.get $drop) (then (call $drop_udp (i32.load (i32.const 20))))
                              (else (call $drop_tcp (i32.load (i32.const 20)))))
        (i32.store8 (i32.const 64) (i32.const 0)))
      (else
        (i32.store8 (i32.const 64) (i32.const 1))
        (i32.store8 (i32.const 65) (i32.load8_u (i32.const 20)))))
    (i32.const 64))
  (func (export "tcp") (param $family i32) (result i32)
    (call $create_tcp (local.get $family) (i32.const 16))
    (call $socket_result (i32.const 0)))
  (func (export "udp") (param $family i32) (result i32)
    (call $create_udp (local.get $family) (i32.const 16))
    (call $socket_result (i32.const 1)))
  (func (export "lookup") (param $name i32) (param $len i32) (result i32)
    (local $net i32) (local $stream i32)
    (local.set $net (call $instance_network))
    (call $resolve (local.get $net) (local.get $name) (local.get $len) (i32.const 16))
    (if (i32.load8_u (i32.const 16))
      (then
        (i32.store8 (i32.const 64) (i32.const 1))
        (i32.store8 (i32.const 66) (i32.load8_u (i32.const 20))))
      (else
        (local.set $stream (i32.load (i32.const 20)))
        (call $next (local.get $stream) (i32.const 64))
        (call $drop_stream (local.get $stream))))
    (call $drop_network (local.get $net))
    (i32.const 64))
  ;; bump allocator for the string argument of lookup
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.const 65536)) (then unreachable))
    (local.get $p)))
