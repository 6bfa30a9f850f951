;; A component that makes one wasi:http outgoing request (tests/component-exec/suite-wrun.sh,
;; `wrun -S http --invoke 'probe("HOST[:PORT]")'`): fields constructor -> outgoing-request
;; constructor -> set-authority(some(HOST)) -> outgoing-handler.handle (wasi-http 0.2 WIT,
;; types.wit / handler.wit), returning handle's result as result<u32, error-code>: ok is the
;; future-incoming-response handle (the transfer would only start at its first get, so an
;; allowed request touches no network here), err the error-code (HTTP-request-denied when the
;; authority was not granted with --allow-outbound). result<own<T>, error-code> and
;; result<u32, error-code> have one memory layout (CanonicalABI.md: a u32 and an own handle
;; are both i32), so the retptr handle wrote is lifted as is.
(component
  (import "wasi:http/types@0.2.12" (instance $types
    (export "fields" (type $fields (sub resource)))
    (export "outgoing-request" (type $outgoing-request (sub resource)))
    (export "future-incoming-response" (type (sub resource)))
    (export "request-options" (type (sub resource)))
    (type $os (option string))
    (type $ou16 (option u16))
    (type $dns (record (field "rcode" $os) (field "info-code" $ou16)))
    (export "DNS-error-payload" (type $dnsp (eq $dns)))
    (type $ou8 (option u8))
    (type $tls (record (field "alert-id" $ou8) (field "alert-message" $os)))
    (export "TLS-alert-received-payload" (type $tlsp (eq $tls)))
    (type $ou32 (option u32))
    (type $fs (record (field "field-name" $os) (field "field-size" $ou32)))
    (export "field-size-payload" (type $fsp (eq $fs)))
    (type $ou64 (option u64))
    (type $ofsp (option $fsp))
    (type $ec (variant (case "DNS-timeout") (case "DNS-error" $dnsp) (case "destination-not-found") (case "destination-unavailable") (case "destination-IP-prohibited") (case "destination-IP-unroutable") (case "connection-refused") (case "connection-terminated") (case "connection-timeout") (case "connection-read-timeout") (case "connection-write-timeout") (case "connection-limit-reached") (case "TLS-protocol-error") (case "TLS-certificate-error") (case "TLS-alert-received" $tlsp) (case "HTTP-request-denied") (case "HTTP-request-length-required") (case "HTTP-request-body-size" $ou64) (case "HTTP-request-method-invalid") (case "HTTP-request-URI-invalid") (case "HTTP-request-URI-too-long") (case "HTTP-request-header-section-size" $ou32) (case "HTTP-request-header-size" $ofsp) (case "HTTP-request-trailer-section-size" $ou32) (case "HTTP-request-trailer-size" $fsp) (case "HTTP-response-incomplete") (case "HTTP-response-header-section-size" $ou32) (case "HTTP-response-header-size" $fsp) (case "HTTP-response-body-size" $ou64) (case "HTTP-response-trailer-section-size" $ou32) (case "HTTP-response-trailer-size" $fsp) (case "HTTP-response-transfer-coding" $os) (case "HTTP-response-content-coding" $os) (case "HTTP-response-timeout") (case "HTTP-upgrade-failed") (case "HTTP-protocol-error") (case "loop-detected") (case "configuration-error") (case "internal-error" $os)))
    (export "error-code" (type (eq $ec)))
    (export "headers" (type $headers (eq $fields)))
    (export "[constructor]fields" (func (result (own $fields))))
    (export "[constructor]outgoing-request" (func (param "headers" (own $headers)) (result (own $outgoing-request))))
    (export "[method]outgoing-request.set-authority"
      (func (param "self" (borrow $outgoing-request)) (param "authority" $os) (result (result))))
  ))
  (alias export $types "outgoing-request" (type $outgoing-request))
  (alias export $types "request-options" (type $request-options))
  (alias export $types "future-incoming-response" (type $future-incoming-response))
  (alias export $types "error-code" (type $error-code))
  (import "wasi:http/outgoing-handler@0.2.12" (instance $handler
    (export "outgoing-request" (type $req (eq $outgoing-request)))
    (export "request-options" (type $opts (eq $request-options)))
    (export "future-incoming-response" (type $fut (eq $future-incoming-response)))
    (export "error-code" (type $ec (eq $error-code)))
    (export "handle" (func (param "request" (own $req)) (param "options" (option (own $opts)))
                           (result (result (own $fut) (error $ec)))))
  ))
  (core module $mem
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    ;; cabi_realloc (CanonicalABI.md): a bump allocator, align is a power of 2
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $mi (instantiate $mem))
  (alias core export $mi "memory" (core memory $memory))
  (alias core export $mi "realloc" (core func $realloc))
  (alias export $types "[constructor]fields" (func $fields))
  (alias export $types "[constructor]outgoing-request" (func $request))
  (alias export $types "[method]outgoing-request.set-authority" (func $set-authority))
  (alias export $handler "handle" (func $handle))
  (core func $c-fields (canon lower (func $fields)))
  (core func $c-request (canon lower (func $request)))
  (core func $c-set-authority (canon lower (func $set-authority) (memory $memory) string-encoding=utf8))
  (core func $c-handle (canon lower (func $handle) (memory $memory) (realloc $realloc)))
  (core instance $hi
    (export "fields" (func $c-fields))
    (export "request" (func $c-request))
    (export "set-authority" (func $c-set-authority))
    (export "handle" (func $c-handle)))
  (core module $main
    (import "m" "memory" (memory 1))
    (import "h" "fields" (func $fields (result i32)))
    (import "h" "request" (func $request (param i32) (result i32)))
    (import "h" "set-authority" (func $set-authority (param i32 i32 i32 i32) (result i32)))
    (import "h" "handle" (func $handle (param i32 i32 i32 i32)))
    (func (export "probe") (param $ptr i32) (param $len i32) (result i32)
      (local $r i32)
      (local.set $r (call $request (call $fields)))
      ;; some(authority); an err here (an invalid authority) is not this test's concern
      (drop (call $set-authority (local.get $r) (i32.const 1) (local.get $ptr) (local.get $len)))
      ;; handle(request, none) -> result at 16 (8-aligned: error-code holds a u64)
      (call $handle (local.get $r) (i32.const 0) (i32.const 0) (i32.const 16))
      (i32.const 16)))
  (core instance $main-i (instantiate $main (with "m" (instance $mi)) (with "h" (instance $hi))))
  (type $probe-result (result u32 (error $error-code)))
  (func $probe (param "authority" string) (result $probe-result)
    (canon lift (core func $main-i "probe") (memory $memory) (realloc $realloc) string-encoding=utf8))
  (export "probe" (func $probe))
)
