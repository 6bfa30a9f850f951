;; wkit: legacy exception handling as a C++ compiler emits it (two modules): this C++ source, compiled by Debian
;; clang 14.0.6 with `--target=wasm32 -fwasm-exceptions -O0 -nostdlib -c` and linked by wasm-ld 14
;; (`--no-entry -s --export=...`) into the module below (try / catch __cpp_exception / catch_all /
;; rethrow, 45 of them; -O1 and -O2 crash clang 14 on it). The expected results are those of the
;; same source built natively with g++ (each __builtin_wasm_throw(0, p) replaced by
;; `{ cur = p; throw 0; }`, the __cxa_* and std::terminate stand-ins removed), for every x the
;; functions tell apart: mism and mism2 for x = 0..127, the others for x = 0..7.
;;
;;   static void *cur;
;;   extern "C" void *__cxa_begin_catch(void *p) { cur = p; return p; }
;;   extern "C" void __cxa_end_catch() {}
;;   extern "C" void __cxa_rethrow() { __builtin_wasm_throw(0, cur); }
;;   namespace std { [[noreturn]] void terminate() noexcept { __builtin_trap(); } }
;;   extern "C" __attribute__((noinline)) void thrower(int x) { if (x & 1) __builtin_wasm_throw(0, (void *)(long)x); }
;;   extern "C" __attribute__((noinline)) void nothrow_(int *g) noexcept { *g += 3; }
;;   struct Guard { int *p; ~Guard() { *p += 10000; } };
;;   struct G2 { int *p; ~G2() { *p += 100000; } };
;;   extern "C" int mism(int x) {
;;     int g = 0;
;;     try {
;;       Guard a{&g};
;;       thrower(x);
;;       {
;;         G2 b{&g};
;;         try { thrower(x >> 1); } catch (...) { g += 1; thrower(x >> 2); }
;;         thrower(x >> 3);
;;       }
;;       nothrow_(&g);
;;       thrower(x >> 4);
;;     } catch (...) { return g + 7 + 1000000 * (int)(long)cur; }
;;     return g;
;;   }
;;   extern "C" int mism2(int x) {
;;     int g = 0;
;;     for (int i = 0; i < 3; i++) {
;;       try {
;;         G2 b{&g};
;;         try { Guard a{&g}; thrower(x >> i); } catch (...) { g += 1; if (x & 64) throw; }
;;         thrower(x >> (i + 3));
;;       } catch (...) { g += 1000; }
;;     }
;;     return g;
;;   }
;;
;;   extern "C" int run(int x) {
;;     int r = 0;
;;     try { thrower(x); r = 1; }
;;     catch (...) { r = 100 + (int)(long)cur; try { thrower(x + 2); } catch (...) { r += 1000; } }
;;     return r;
;;   }
;;   extern "C" int nested(int x) {
;;     int g = 0;
;;     try {
;;       try { Guard gd{&g}; thrower(x); } catch (...) { throw; }
;;     } catch (...) { return (int)(long)cur + g; }
;;     return -1 - g;
;;   }
;;   extern "C" __attribute__((noinline)) int cleanup_only(int x) { int g = 0; { Guard gd{&g}; thrower(x); } return g; }
;;   extern "C" int outer(int x) { try { return cleanup_only(x); } catch (...) { return -(int)(long)cur; } }
(module binary
  "\00\61\73\6d\01\00\00\00\01\0d\03\60\01\7f\01\7f\60\00\00\60\01\7f\00\03\0e\0d\00\01\01\02\02\00"
  "\00\00\00\00\00\00\00\04\05\01\70\01\01\01\05\03\01\00\02\0d\03\01\00\02\06\08\01\7f\01\41\90\88"
  "\04\0b\07\30\06\06\6d\65\6d\6f\72\79\02\00\04\6d\69\73\6d\00\05\05\6d\69\73\6d\32\00\08\03\72\75"
  "\6e\00\09\06\6e\65\73\74\65\64\00\0a\05\6f\75\74\65\72\00\0c\0a\f9\13\0d\3e\01\06\7f\23\80\80\80"
  "\80\00\21\01\41\10\21\02\20\01\20\02\6b\21\03\20\03\20\00\36\02\0c\20\03\28\02\0c\21\04\41\00\21"
  "\05\20\05\20\04\36\02\80\88\80\80\00\20\03\28\02\0c\21\06\20\06\0f\0b\03\00\0f\0b\1b\01\02\7f\41"
  "\00\21\00\20\00\28\02\80\88\80\80\00\21\01\20\01\08\80\80\80\80\00\0b\48\01\07\7f\23\80\80\80\80"
  "\00\21\01\41\10\21\02\20\01\20\02\6b\21\03\20\03\20\00\36\02\0c\20\03\28\02\0c\21\04\41\01\21\05"
  "\20\04\20\05\71\21\06\02\40\20\06\45\0d\00\20\03\28\02\0c\21\07\20\07\08\80\80\80\80\00\0b\0f\0b"
  "\3f\01\07\7f\23\80\80\80\80\00\21\01\41\10\21\02\20\01\20\02\6b\21\03\20\03\20\00\36\02\0c\20\03"
  "\28\02\0c\21\04\20\04\28\02\00\21\05\41\03\21\06\20\05\20\06\6a\21\07\20\04\20\07\36\02\00\0f\0b"
  "\cd\04\01\33\7f\23\80\80\80\80\00\21\01\41\20\21\02\20\01\20\02\6b\21\03\20\03\24\80\80\80\80\00"
  "\20\03\20\00\36\02\18\41\00\21\04\20\03\20\04\36\02\14\41\14\21\05\20\03\20\05\6a\21\06\20\03\20"
  "\06\36\02\10\20\03\28\02\18\21\07\02\40\06\40\20\07\10\83\80\80\80\00\41\14\21\08\20\03\20\08\6a"
  "\21\09\20\03\20\09\36\02\08\20\03\28\02\18\21\0a\41\01\21\0b\20\0a\20\0b\75\21\0c\06\40\02\40\06"
  "\40\20\0c\10\83\80\80\80\00\07\80\80\80\80\00\21\0d\20\03\24\80\80\80\80\00\20\03\20\0d\36\02\04"
  "\20\03\28\02\04\21\0e\20\0e\10\80\80\80\80\00\1a\20\03\28\02\14\21\0f\41\01\21\10\20\0f\20\10\6a"
  "\21\11\20\03\20\11\36\02\14\20\03\28\02\18\21\12\41\02\21\13\20\12\20\13\75\21\14\06\40\20\14\10"
  "\83\80\80\80\00\19\20\03\24\80\80\80\80\00\10\81\80\80\80\00\09\00\0b\10\81\80\80\80\00\0c\01\0b"
  "\0b\20\03\28\02\18\21\15\41\03\21\16\20\15\20\16\75\21\17\20\17\10\83\80\80\80\00\19\20\03\24\80"
  "\80\80\80\00\41\08\21\18\20\03\20\18\6a\21\19\20\19\10\86\80\80\80\00\1a\09\00\0b\41\08\21\1a\20"
  "\03\20\1a\6a\21\1b\20\1b\10\86\80\80\80\00\1a\41\14\21\1c\20\03\20\1c\6a\21\1d\20\1d\10\84\80\80"
  "\80\00\20\03\28\02\18\21\1e\41\04\21\1f\20\1e\20\1f\75\21\20\20\20\10\83\80\80\80\00\19\20\03\24"
  "\80\80\80\80\00\41\10\21\21\20\03\20\21\6a\21\22\20\22\10\87\80\80\80\00\1a\06\40\09\01\07\80\80"
  "\80\80\00\21\23\20\03\24\80\80\80\80\00\20\03\20\23\36\02\04\20\03\28\02\04\21\24\20\24\10\80\80"
  "\80\80\00\1a\20\03\28\02\14\21\25\41\00\21\26\20\26\28\02\80\88\80\80\00\21\27\41\c0\84\3d\21\28"
  "\20\27\20\28\6c\21\29\20\25\20\29\6a\21\2a\41\07\21\2b\20\2a\20\2b\6a\21\2c\20\03\20\2c\36\02\1c"
  "\10\81\80\80\80\00\0c\02\0b\0b\41\10\21\2d\20\03\20\2d\6a\21\2e\20\2e\21\2f\20\2f\10\87\80\80\80"
  "\00\1a\20\03\28\02\14\21\30\20\03\20\30\36\02\1c\0b\20\03\28\02\1c\21\31\41\20\21\32\20\03\20\32"
  "\6a\21\33\20\33\24\80\80\80\80\00\20\31\0f\0b\4a\01\08\7f\23\80\80\80\80\00\21\01\41\10\21\02\20"
  "\01\20\02\6b\21\03\20\03\20\00\36\02\0c\20\03\28\02\0c\21\04\20\04\28\02\00\21\05\20\05\28\02\00"
  "\21\06\41\a0\8d\06\21\07\20\06\20\07\6a\21\08\20\05\20\08\36\02\00\20\04\0f\0b\4a\01\08\7f\23\80"
  "\80\80\80\00\21\01\41\10\21\02\20\01\20\02\6b\21\03\20\03\20\00\36\02\0c\20\03\28\02\0c\21\04\20"
  "\04\28\02\00\21\05\20\05\28\02\00\21\06\41\90\ce\00\21\07\20\06\20\07\6a\21\08\20\05\20\08\36\02"
  "\00\20\04\0f\0b\d9\04\01\35\7f\23\80\80\80\80\00\21\01\41\20\21\02\20\01\20\02\6b\21\03\20\03\24"
  "\80\80\80\80\00\20\03\20\00\36\02\1c\41\00\21\04\20\03\20\04\36\02\18\41\00\21\05\20\03\20\05\36"
  "\02\14\03\7f\20\03\28\02\14\21\06\41\03\21\07\20\06\21\08\20\07\21\09\20\08\20\09\48\21\0a\41\01"
  "\21\0b\20\0a\20\0b\71\21\0c\02\40\06\40\02\40\02\40\02\40\20\0c\45\0d\00\41\18\21\0d\20\03\20\0d"
  "\6a\21\0e\20\03\20\0e\36\02\10\41\18\21\0f\20\03\20\0f\6a\21\10\20\03\20\10\36\02\08\20\03\28\02"
  "\1c\21\11\20\03\28\02\14\21\12\20\11\20\12\75\21\13\06\40\20\13\10\83\80\80\80\00\0c\02\19\20\03"
  "\24\80\80\80\80\00\41\08\21\14\20\03\20\14\6a\21\15\20\15\10\87\80\80\80\00\1a\06\40\09\01\07\80"
  "\80\80\80\00\21\16\20\03\24\80\80\80\80\00\20\03\20\16\36\02\04\20\03\28\02\04\21\17\20\17\10\80"
  "\80\80\80\00\1a\20\03\28\02\18\21\18\41\01\21\19\20\18\20\19\6a\21\1a\20\03\20\1a\36\02\18\20\03"
  "\28\02\1c\21\1b\41\c0\00\21\1c\20\1b\20\1c\71\21\1d\02\40\20\1d\45\0d\00\06\40\10\82\80\80\80\00"
  "\19\20\03\24\80\80\80\80\00\10\81\80\80\80\00\09\00\0b\00\0b\10\81\80\80\80\00\0c\04\0b\0b\0b\20"
  "\03\28\02\18\21\1e\41\20\21\1f\20\03\20\1f\6a\21\20\20\20\24\80\80\80\80\00\20\1e\0f\0b\41\08\21"
  "\21\20\03\20\21\6a\21\22\20\22\21\23\20\23\10\87\80\80\80\00\1a\0b\20\03\28\02\1c\21\24\20\03\28"
  "\02\14\21\25\41\03\21\26\20\25\20\26\6a\21\27\20\24\20\27\75\21\28\20\28\10\83\80\80\80\00\19\20"
  "\03\24\80\80\80\80\00\41\10\21\29\20\03\20\29\6a\21\2a\20\2a\10\86\80\80\80\00\1a\06\40\09\01\07"
  "\80\80\80\80\00\21\2b\20\03\24\80\80\80\80\00\20\03\20\2b\36\02\04\20\03\28\02\04\21\2c\20\2c\10"
  "\80\80\80\80\00\1a\20\03\28\02\18\21\2d\41\e8\07\21\2e\20\2d\20\2e\6a\21\2f\20\03\20\2f\36\02\18"
  "\10\81\80\80\80\00\0c\02\0b\0b\41\10\21\30\20\03\20\30\6a\21\31\20\31\21\32\20\32\10\86\80\80\80"
  "\00\1a\0b\20\03\28\02\14\21\33\41\01\21\34\20\33\20\34\6a\21\35\20\03\20\35\36\02\14\0c\00\0b\0b"
  "\a8\02\01\17\7f\23\80\80\80\80\00\21\01\41\10\21\02\20\01\20\02\6b\21\03\20\03\24\80\80\80\80\00"
  "\20\03\20\00\36\02\0c\41\00\21\04\20\03\20\04\36\02\08\20\03\28\02\0c\21\05\02\40\06\40\20\05\10"
  "\83\80\80\80\00\07\80\80\80\80\00\21\06\20\03\24\80\80\80\80\00\20\03\20\06\36\02\04\20\03\28\02"
  "\04\21\07\20\07\10\80\80\80\80\00\1a\41\00\21\08\20\08\28\02\80\88\80\80\00\21\09\41\e4\00\21\0a"
  "\20\09\20\0a\6a\21\0b\20\03\20\0b\36\02\08\20\03\28\02\0c\21\0c\41\02\21\0d\20\0c\20\0d\6a\21\0e"
  "\02\40\06\40\20\0e\10\83\80\80\80\00\07\80\80\80\80\00\21\0f\20\03\24\80\80\80\80\00\20\03\20\0f"
  "\36\02\04\20\03\28\02\04\21\10\20\10\10\80\80\80\80\00\1a\20\03\28\02\08\21\11\41\e8\07\21\12\20"
  "\11\20\12\6a\21\13\20\03\20\13\36\02\08\10\81\80\80\80\00\0c\01\0b\0b\10\81\80\80\80\00\0c\01\0b"
  "\41\01\21\14\20\03\20\14\36\02\08\0b\20\03\28\02\08\21\15\41\10\21\16\20\03\20\16\6a\21\17\20\17"
  "\24\80\80\80\80\00\20\15\0f\0b\e0\02\01\1a\7f\23\80\80\80\80\00\21\01\41\20\21\02\20\01\20\02\6b"
  "\21\03\20\03\24\80\80\80\80\00\20\03\20\00\36\02\18\41\00\21\04\20\03\20\04\36\02\14\41\14\21\05"
  "\20\03\20\05\6a\21\06\20\03\20\06\36\02\10\20\03\28\02\18\21\07\02\40\06\40\20\07\10\83\80\80\80"
  "\00\19\20\03\24\80\80\80\80\00\41\10\21\08\20\03\20\08\6a\21\09\20\09\10\87\80\80\80\00\1a\06\40"
  "\06\40\09\02\07\80\80\80\80\00\21\0a\20\03\24\80\80\80\80\00\20\03\20\0a\36\02\0c\20\03\28\02\0c"
  "\21\0b\20\0b\10\80\80\80\80\00\1a\06\40\10\82\80\80\80\00\19\20\03\24\80\80\80\80\00\10\81\80\80"
  "\80\00\09\00\0b\00\0b\07\80\80\80\80\00\21\0c\20\03\24\80\80\80\80\00\20\03\20\0c\36\02\0c\20\03"
  "\28\02\0c\21\0d\20\0d\10\80\80\80\80\00\1a\41\00\21\0e\20\0e\28\02\80\88\80\80\00\21\0f\20\03\28"
  "\02\14\21\10\20\0f\20\10\6a\21\11\20\03\20\11\36\02\1c\10\81\80\80\80\00\0c\02\0b\0b\41\10\21\12"
  "\20\03\20\12\6a\21\13\20\13\21\14\20\14\10\87\80\80\80\00\1a\20\03\28\02\14\21\15\41\7f\21\16\20"
  "\16\20\15\6b\21\17\20\03\20\17\36\02\1c\0b\20\03\28\02\1c\21\18\41\20\21\19\20\03\20\19\6a\21\1a"
  "\20\1a\24\80\80\80\80\00\20\18\0f\0b\93\01\01\0b\7f\23\80\80\80\80\00\21\01\41\10\21\02\20\01\20"
  "\02\6b\21\03\20\03\24\80\80\80\80\00\20\03\20\00\36\02\0c\41\00\21\04\20\03\20\04\36\02\08\41\08"
  "\21\05\20\03\20\05\6a\21\06\20\03\20\06\36\02\00\20\03\28\02\0c\21\07\06\40\20\07\10\83\80\80\80"
  "\00\19\20\03\24\80\80\80\80\00\20\03\10\87\80\80\80\00\1a\09\00\0b\20\03\21\08\20\08\10\87\80\80"
  "\80\00\1a\20\03\28\02\08\21\09\41\10\21\0a\20\03\20\0a\6a\21\0b\20\0b\24\80\80\80\80\00\20\09\0f"
  "\0b\ad\01\01\0d\7f\23\80\80\80\80\00\21\01\41\10\21\02\20\01\20\02\6b\21\03\20\03\24\80\80\80\80"
  "\00\20\03\20\00\36\02\08\20\03\28\02\08\21\04\02\40\06\40\20\04\10\8b\80\80\80\00\21\05\07\80\80"
  "\80\80\00\21\06\20\03\24\80\80\80\80\00\20\03\20\06\36\02\04\20\03\28\02\04\21\07\20\07\10\80\80"
  "\80\80\00\1a\41\00\21\08\20\08\28\02\80\88\80\80\00\21\09\20\08\20\09\6b\21\0a\20\03\20\0a\36\02"
  "\0c\10\81\80\80\80\00\0c\01\0b\20\03\20\05\36\02\0c\0b\20\03\28\02\0c\21\0b\41\10\21\0c\20\03\20"
  "\0c\6a\21\0d\20\0d\24\80\80\80\80\00\20\0b\0f\0b"
)
(assert_return (invoke "mism" (i32.const 0)) (i32.const 110003))
(assert_return (invoke "mism2" (i32.const 0)) (i32.const 330000))
(assert_return (invoke "run" (i32.const 0)) (i32.const 1))
(assert_return (invoke "nested" (i32.const 0)) (i32.const -10001))
(assert_return (invoke "outer" (i32.const 0)) (i32.const 10000))
(assert_return (invoke "mism" (i32.const 1)) (i32.const 1010007))
(assert_return (invoke "mism2" (i32.const 1)) (i32.const 330001))
(assert_return (invoke "run" (i32.const 1)) (i32.const 1101))
(assert_return (invoke "nested" (i32.const 1)) (i32.const 10001))
(assert_return (invoke "outer" (i32.const 1)) (i32.const -1))
(assert_return (invoke "mism" (i32.const 2)) (i32.const 110004))
(assert_return (invoke "mism2" (i32.const 2)) (i32.const 330001))
(assert_return (invoke "run" (i32.const 2)) (i32.const 1))
(assert_return (invoke "nested" (i32.const 2)) (i32.const -10001))
(assert_return (invoke "outer" (i32.const 2)) (i32.const 10000))
(assert_return (invoke "mism" (i32.const 3)) (i32.const 3010007))
(assert_return (invoke "mism2" (i32.const 3)) (i32.const 330002))
(assert_return (invoke "run" (i32.const 3)) (i32.const 1103))
(assert_return (invoke "nested" (i32.const 3)) (i32.const 10003))
(assert_return (invoke "outer" (i32.const 3)) (i32.const -3))
(assert_return (invoke "mism" (i32.const 4)) (i32.const 110003))
(assert_return (invoke "mism2" (i32.const 4)) (i32.const 330001))
(assert_return (invoke "run" (i32.const 4)) (i32.const 1))
(assert_return (invoke "nested" (i32.const 4)) (i32.const -10001))
(assert_return (invoke "outer" (i32.const 4)) (i32.const 10000))
(assert_return (invoke "mism" (i32.const 5)) (i32.const 5010007))
(assert_return (invoke "mism2" (i32.const 5)) (i32.const 330002))
(assert_return (invoke "run" (i32.const 5)) (i32.const 1105))
(assert_return (invoke "nested" (i32.const 5)) (i32.const 10005))
(assert_return (invoke "outer" (i32.const 5)) (i32.const -5))
(assert_return (invoke "mism" (i32.const 6)) (i32.const 1110008))
(assert_return (invoke "mism2" (i32.const 6)) (i32.const 330002))
(assert_return (invoke "run" (i32.const 6)) (i32.const 1))
(assert_return (invoke "nested" (i32.const 6)) (i32.const -10001))
(assert_return (invoke "outer" (i32.const 6)) (i32.const 10000))
(assert_return (invoke "mism" (i32.const 7)) (i32.const 7010007))
(assert_return (invoke "mism2" (i32.const 7)) (i32.const 330003))
(assert_return (invoke "run" (i32.const 7)) (i32.const 1107))
(assert_return (invoke "nested" (i32.const 7)) (i32.const 10007))
(assert_return (invoke "outer" (i32.const 7)) (i32.const -7))
(assert_return (invoke "mism" (i32.const 8)) (i32.const 1110007))
(assert_return (invoke "mism2" (i32.const 8)) (i32.const 331000))
(assert_return (invoke "mism" (i32.const 9)) (i32.const 9010007))
(assert_return (invoke "mism2" (i32.const 9)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 10)) (i32.const 1110008))
(assert_return (invoke "mism2" (i32.const 10)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 11)) (i32.const 11010007))
(assert_return (invoke "mism2" (i32.const 11)) (i32.const 331002))
(assert_return (invoke "mism" (i32.const 12)) (i32.const 1110007))
(assert_return (invoke "mism2" (i32.const 12)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 13)) (i32.const 13010007))
(assert_return (invoke "mism2" (i32.const 13)) (i32.const 331002))
(assert_return (invoke "mism" (i32.const 14)) (i32.const 3110008))
(assert_return (invoke "mism2" (i32.const 14)) (i32.const 331002))
(assert_return (invoke "mism" (i32.const 15)) (i32.const 15010007))
(assert_return (invoke "mism2" (i32.const 15)) (i32.const 331003))
(assert_return (invoke "mism" (i32.const 16)) (i32.const 1110010))
(assert_return (invoke "mism2" (i32.const 16)) (i32.const 331000))
(assert_return (invoke "mism" (i32.const 17)) (i32.const 17010007))
(assert_return (invoke "mism2" (i32.const 17)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 18)) (i32.const 1110011))
(assert_return (invoke "mism2" (i32.const 18)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 19)) (i32.const 19010007))
(assert_return (invoke "mism2" (i32.const 19)) (i32.const 331002))
(assert_return (invoke "mism" (i32.const 20)) (i32.const 1110010))
(assert_return (invoke "mism2" (i32.const 20)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 21)) (i32.const 21010007))
(assert_return (invoke "mism2" (i32.const 21)) (i32.const 331002))
(assert_return (invoke "mism" (i32.const 22)) (i32.const 5110008))
(assert_return (invoke "mism2" (i32.const 22)) (i32.const 331002))
(assert_return (invoke "mism" (i32.const 23)) (i32.const 23010007))
(assert_return (invoke "mism2" (i32.const 23)) (i32.const 331003))
(assert_return (invoke "mism" (i32.const 24)) (i32.const 3110007))
(assert_return (invoke "mism2" (i32.const 24)) (i32.const 332000))
(assert_return (invoke "mism" (i32.const 25)) (i32.const 25010007))
(assert_return (invoke "mism2" (i32.const 25)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 26)) (i32.const 3110008))
(assert_return (invoke "mism2" (i32.const 26)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 27)) (i32.const 27010007))
(assert_return (invoke "mism2" (i32.const 27)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 28)) (i32.const 3110007))
(assert_return (invoke "mism2" (i32.const 28)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 29)) (i32.const 29010007))
(assert_return (invoke "mism2" (i32.const 29)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 30)) (i32.const 7110008))
(assert_return (invoke "mism2" (i32.const 30)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 31)) (i32.const 31010007))
(assert_return (invoke "mism2" (i32.const 31)) (i32.const 332003))
(assert_return (invoke "mism" (i32.const 32)) (i32.const 110003))
(assert_return (invoke "mism2" (i32.const 32)) (i32.const 331000))
(assert_return (invoke "mism" (i32.const 33)) (i32.const 33010007))
(assert_return (invoke "mism2" (i32.const 33)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 34)) (i32.const 110004))
(assert_return (invoke "mism2" (i32.const 34)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 35)) (i32.const 35010007))
(assert_return (invoke "mism2" (i32.const 35)) (i32.const 331002))
(assert_return (invoke "mism" (i32.const 36)) (i32.const 110003))
(assert_return (invoke "mism2" (i32.const 36)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 37)) (i32.const 37010007))
(assert_return (invoke "mism2" (i32.const 37)) (i32.const 331002))
(assert_return (invoke "mism" (i32.const 38)) (i32.const 9110008))
(assert_return (invoke "mism2" (i32.const 38)) (i32.const 331002))
(assert_return (invoke "mism" (i32.const 39)) (i32.const 39010007))
(assert_return (invoke "mism2" (i32.const 39)) (i32.const 331003))
(assert_return (invoke "mism" (i32.const 40)) (i32.const 5110007))
(assert_return (invoke "mism2" (i32.const 40)) (i32.const 332000))
(assert_return (invoke "mism" (i32.const 41)) (i32.const 41010007))
(assert_return (invoke "mism2" (i32.const 41)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 42)) (i32.const 5110008))
(assert_return (invoke "mism2" (i32.const 42)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 43)) (i32.const 43010007))
(assert_return (invoke "mism2" (i32.const 43)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 44)) (i32.const 5110007))
(assert_return (invoke "mism2" (i32.const 44)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 45)) (i32.const 45010007))
(assert_return (invoke "mism2" (i32.const 45)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 46)) (i32.const 11110008))
(assert_return (invoke "mism2" (i32.const 46)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 47)) (i32.const 47010007))
(assert_return (invoke "mism2" (i32.const 47)) (i32.const 332003))
(assert_return (invoke "mism" (i32.const 48)) (i32.const 3110010))
(assert_return (invoke "mism2" (i32.const 48)) (i32.const 332000))
(assert_return (invoke "mism" (i32.const 49)) (i32.const 49010007))
(assert_return (invoke "mism2" (i32.const 49)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 50)) (i32.const 3110011))
(assert_return (invoke "mism2" (i32.const 50)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 51)) (i32.const 51010007))
(assert_return (invoke "mism2" (i32.const 51)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 52)) (i32.const 3110010))
(assert_return (invoke "mism2" (i32.const 52)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 53)) (i32.const 53010007))
(assert_return (invoke "mism2" (i32.const 53)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 54)) (i32.const 13110008))
(assert_return (invoke "mism2" (i32.const 54)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 55)) (i32.const 55010007))
(assert_return (invoke "mism2" (i32.const 55)) (i32.const 332003))
(assert_return (invoke "mism" (i32.const 56)) (i32.const 7110007))
(assert_return (invoke "mism2" (i32.const 56)) (i32.const 333000))
(assert_return (invoke "mism" (i32.const 57)) (i32.const 57010007))
(assert_return (invoke "mism2" (i32.const 57)) (i32.const 333001))
(assert_return (invoke "mism" (i32.const 58)) (i32.const 7110008))
(assert_return (invoke "mism2" (i32.const 58)) (i32.const 333001))
(assert_return (invoke "mism" (i32.const 59)) (i32.const 59010007))
(assert_return (invoke "mism2" (i32.const 59)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 60)) (i32.const 7110007))
(assert_return (invoke "mism2" (i32.const 60)) (i32.const 333001))
(assert_return (invoke "mism" (i32.const 61)) (i32.const 61010007))
(assert_return (invoke "mism2" (i32.const 61)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 62)) (i32.const 15110008))
(assert_return (invoke "mism2" (i32.const 62)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 63)) (i32.const 63010007))
(assert_return (invoke "mism2" (i32.const 63)) (i32.const 333003))
(assert_return (invoke "mism" (i32.const 64)) (i32.const 110003))
(assert_return (invoke "mism2" (i32.const 64)) (i32.const 330000))
(assert_return (invoke "mism" (i32.const 65)) (i32.const 65010007))
(assert_return (invoke "mism2" (i32.const 65)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 66)) (i32.const 110004))
(assert_return (invoke "mism2" (i32.const 66)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 67)) (i32.const 67010007))
(assert_return (invoke "mism2" (i32.const 67)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 68)) (i32.const 110003))
(assert_return (invoke "mism2" (i32.const 68)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 69)) (i32.const 69010007))
(assert_return (invoke "mism2" (i32.const 69)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 70)) (i32.const 17110008))
(assert_return (invoke "mism2" (i32.const 70)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 71)) (i32.const 71010007))
(assert_return (invoke "mism2" (i32.const 71)) (i32.const 333003))
(assert_return (invoke "mism" (i32.const 72)) (i32.const 9110007))
(assert_return (invoke "mism2" (i32.const 72)) (i32.const 331000))
(assert_return (invoke "mism" (i32.const 73)) (i32.const 73010007))
(assert_return (invoke "mism2" (i32.const 73)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 74)) (i32.const 9110008))
(assert_return (invoke "mism2" (i32.const 74)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 75)) (i32.const 75010007))
(assert_return (invoke "mism2" (i32.const 75)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 76)) (i32.const 9110007))
(assert_return (invoke "mism2" (i32.const 76)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 77)) (i32.const 77010007))
(assert_return (invoke "mism2" (i32.const 77)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 78)) (i32.const 19110008))
(assert_return (invoke "mism2" (i32.const 78)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 79)) (i32.const 79010007))
(assert_return (invoke "mism2" (i32.const 79)) (i32.const 333003))
(assert_return (invoke "mism" (i32.const 80)) (i32.const 5110010))
(assert_return (invoke "mism2" (i32.const 80)) (i32.const 331000))
(assert_return (invoke "mism" (i32.const 81)) (i32.const 81010007))
(assert_return (invoke "mism2" (i32.const 81)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 82)) (i32.const 5110011))
(assert_return (invoke "mism2" (i32.const 82)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 83)) (i32.const 83010007))
(assert_return (invoke "mism2" (i32.const 83)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 84)) (i32.const 5110010))
(assert_return (invoke "mism2" (i32.const 84)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 85)) (i32.const 85010007))
(assert_return (invoke "mism2" (i32.const 85)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 86)) (i32.const 21110008))
(assert_return (invoke "mism2" (i32.const 86)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 87)) (i32.const 87010007))
(assert_return (invoke "mism2" (i32.const 87)) (i32.const 333003))
(assert_return (invoke "mism" (i32.const 88)) (i32.const 11110007))
(assert_return (invoke "mism2" (i32.const 88)) (i32.const 332000))
(assert_return (invoke "mism" (i32.const 89)) (i32.const 89010007))
(assert_return (invoke "mism2" (i32.const 89)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 90)) (i32.const 11110008))
(assert_return (invoke "mism2" (i32.const 90)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 91)) (i32.const 91010007))
(assert_return (invoke "mism2" (i32.const 91)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 92)) (i32.const 11110007))
(assert_return (invoke "mism2" (i32.const 92)) (i32.const 333001))
(assert_return (invoke "mism" (i32.const 93)) (i32.const 93010007))
(assert_return (invoke "mism2" (i32.const 93)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 94)) (i32.const 23110008))
(assert_return (invoke "mism2" (i32.const 94)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 95)) (i32.const 95010007))
(assert_return (invoke "mism2" (i32.const 95)) (i32.const 333003))
(assert_return (invoke "mism" (i32.const 96)) (i32.const 110003))
(assert_return (invoke "mism2" (i32.const 96)) (i32.const 331000))
(assert_return (invoke "mism" (i32.const 97)) (i32.const 97010007))
(assert_return (invoke "mism2" (i32.const 97)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 98)) (i32.const 110004))
(assert_return (invoke "mism2" (i32.const 98)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 99)) (i32.const 99010007))
(assert_return (invoke "mism2" (i32.const 99)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 100)) (i32.const 110003))
(assert_return (invoke "mism2" (i32.const 100)) (i32.const 331001))
(assert_return (invoke "mism" (i32.const 101)) (i32.const 101010007))
(assert_return (invoke "mism2" (i32.const 101)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 102)) (i32.const 25110008))
(assert_return (invoke "mism2" (i32.const 102)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 103)) (i32.const 103010007))
(assert_return (invoke "mism2" (i32.const 103)) (i32.const 333003))
(assert_return (invoke "mism" (i32.const 104)) (i32.const 13110007))
(assert_return (invoke "mism2" (i32.const 104)) (i32.const 332000))
(assert_return (invoke "mism" (i32.const 105)) (i32.const 105010007))
(assert_return (invoke "mism2" (i32.const 105)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 106)) (i32.const 13110008))
(assert_return (invoke "mism2" (i32.const 106)) (i32.const 333001))
(assert_return (invoke "mism" (i32.const 107)) (i32.const 107010007))
(assert_return (invoke "mism2" (i32.const 107)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 108)) (i32.const 13110007))
(assert_return (invoke "mism2" (i32.const 108)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 109)) (i32.const 109010007))
(assert_return (invoke "mism2" (i32.const 109)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 110)) (i32.const 27110008))
(assert_return (invoke "mism2" (i32.const 110)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 111)) (i32.const 111010007))
(assert_return (invoke "mism2" (i32.const 111)) (i32.const 333003))
(assert_return (invoke "mism" (i32.const 112)) (i32.const 7110010))
(assert_return (invoke "mism2" (i32.const 112)) (i32.const 332000))
(assert_return (invoke "mism" (i32.const 113)) (i32.const 113010007))
(assert_return (invoke "mism2" (i32.const 113)) (i32.const 333001))
(assert_return (invoke "mism" (i32.const 114)) (i32.const 7110011))
(assert_return (invoke "mism2" (i32.const 114)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 115)) (i32.const 115010007))
(assert_return (invoke "mism2" (i32.const 115)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 116)) (i32.const 7110010))
(assert_return (invoke "mism2" (i32.const 116)) (i32.const 332001))
(assert_return (invoke "mism" (i32.const 117)) (i32.const 117010007))
(assert_return (invoke "mism2" (i32.const 117)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 118)) (i32.const 29110008))
(assert_return (invoke "mism2" (i32.const 118)) (i32.const 332002))
(assert_return (invoke "mism" (i32.const 119)) (i32.const 119010007))
(assert_return (invoke "mism2" (i32.const 119)) (i32.const 333003))
(assert_return (invoke "mism" (i32.const 120)) (i32.const 15110007))
(assert_return (invoke "mism2" (i32.const 120)) (i32.const 333000))
(assert_return (invoke "mism" (i32.const 121)) (i32.const 121010007))
(assert_return (invoke "mism2" (i32.const 121)) (i32.const 333001))
(assert_return (invoke "mism" (i32.const 122)) (i32.const 15110008))
(assert_return (invoke "mism2" (i32.const 122)) (i32.const 333001))
(assert_return (invoke "mism" (i32.const 123)) (i32.const 123010007))
(assert_return (invoke "mism2" (i32.const 123)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 124)) (i32.const 15110007))
(assert_return (invoke "mism2" (i32.const 124)) (i32.const 333001))
(assert_return (invoke "mism" (i32.const 125)) (i32.const 125010007))
(assert_return (invoke "mism2" (i32.const 125)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 126)) (i32.const 31110008))
(assert_return (invoke "mism2" (i32.const 126)) (i32.const 333002))
(assert_return (invoke "mism" (i32.const 127)) (i32.const 127010007))
(assert_return (invoke "mism2" (i32.const 127)) (i32.const 333003))

;; The same with -O2 (clang 14 compiles this one optimized: no `throw;`): catch bodies that
;; call throwing functions inside other tries, cleanups in loops, a throw out of the module's
;; outermost try to `top`'s catch. Expected: g++ on the same source (as above), x = 0..255.
;;
;;   static void *cur;
;;   extern "C" void *__cxa_begin_catch(void *p) { cur = p; return p; }
;;   extern "C" void __cxa_end_catch() {}
;;   extern "C" void __cxa_rethrow() { __builtin_wasm_throw(0, cur); }
;;   namespace std { [[noreturn]] void terminate() noexcept { __builtin_trap(); } }
;;   extern "C" __attribute__((noinline)) void thrower(int x) { if (x & 1) __builtin_wasm_throw(0, (void *)(long)x); }
;;   struct Guard { int *p; ~Guard() { *p += 10000; } };
;;   struct G2 { int *p; ~G2() { *p += 100000; } };
;;   extern "C" int d1(int x) {
;;     int g = 0;
;;     try {
;;       G2 b{&g};
;;       thrower(x);
;;       try { Guard a{&g}; thrower(x >> 1); } catch (...) { g += 1; }
;;       thrower(x >> 2);
;;     } catch (...) { g += 5; }
;;     thrower(x >> 3);
;;     return g;
;;   }
;;   extern "C" int d2(int x) {
;;     int g = 0;
;;     for (int i = 0; i < 4; i++) {
;;       try {
;;         Guard a{&g};
;;         if (x & (1 << i)) thrower(x >> i);
;;         G2 b{&g};
;;         try { thrower(x >> (i + 1)); } catch (...) { g += 3; thrower(x >> (i + 2)); }
;;       } catch (...) { g += 7; }
;;     }
;;     return g;
;;   }
;;   extern "C" int top(int x) { try { return d1(x) + d2(x); } catch (...) { return -(int)(long)cur; } }
(module binary
  "\00\61\73\6d\01\00\00\00\01\0a\02\60\01\7f\00\60\01\7f\01\7f\03\04\03\00\01\01\04\05\01\70\01\01"
  "\01\05\03\01\00\02\0d\03\01\00\00\06\08\01\7f\01\41\90\88\04\0b\07\15\03\06\6d\65\6d\6f\72\79\02"
  "\00\02\64\32\00\01\03\74\6f\70\00\02\0a\f4\05\03\15\00\02\40\20\00\41\01\71\45\0d\00\20\00\08\80"
  "\80\80\80\00\0b\0b\83\02\01\05\7f\23\80\80\80\80\00\41\10\6b\22\01\24\80\80\80\80\00\41\00\21\02"
  "\41\00\21\03\03\40\02\40\06\40\02\40\20\00\20\02\76\41\01\71\45\0d\00\20\01\20\03\36\02\0c\20\00"
  "\20\02\75\10\80\80\80\80\00\0b\20\01\20\03\36\02\08\06\40\06\40\20\00\20\02\41\01\6a\22\04\75\10"
  "\80\80\80\80\00\07\80\80\80\80\00\21\05\20\01\24\80\80\80\80\00\41\00\20\05\36\02\80\88\80\80\00"
  "\20\01\20\03\41\03\6a\22\03\36\02\08\20\00\20\02\41\02\6a\75\10\80\80\80\80\00\0b\19\20\01\24\80"
  "\80\80\80\00\20\01\20\01\28\02\08\41\a0\8d\06\6a\36\02\0c\09\00\0b\07\80\80\80\80\00\21\03\20\01"
  "\24\80\80\80\80\00\41\00\20\03\36\02\80\88\80\80\00\20\02\41\01\6a\21\02\20\01\28\02\0c\41\97\ce"
  "\00\6a\21\03\0c\01\0b\20\03\41\b0\db\06\6a\21\03\20\04\21\02\0b\20\02\41\04\47\0d\00\0b\20\01\41"
  "\10\6a\24\80\80\80\80\00\20\03\0b\d6\03\01\06\7f\23\80\80\80\80\00\41\10\6b\22\01\24\80\80\80\80"
  "\00\20\01\41\00\36\02\04\02\40\06\40\20\00\10\80\80\80\80\00\41\90\ce\00\21\02\20\01\41\90\ce\00"
  "\36\02\04\06\40\20\00\41\01\75\10\80\80\80\80\00\07\80\80\80\80\00\21\02\20\01\24\80\80\80\80\00"
  "\41\00\20\02\36\02\80\88\80\80\00\41\91\ce\00\21\02\0b\20\01\20\02\36\02\04\20\00\41\02\75\10\80"
  "\80\80\80\00\07\80\80\80\80\00\21\02\20\01\24\80\80\80\80\00\41\00\20\02\36\02\80\88\80\80\00\20"
  "\01\28\02\04\41\a5\8d\06\6a\21\03\0c\01\0b\20\02\41\a0\8d\06\6a\21\03\0b\02\40\06\40\20\00\41\03"
  "\75\10\80\80\80\80\00\07\80\80\80\80\00\21\02\20\01\24\80\80\80\80\00\41\00\20\02\36\02\80\88\80"
  "\80\00\41\00\20\02\6b\21\02\0c\01\0b\41\00\21\02\41\00\21\04\03\40\02\40\06\40\02\40\20\00\20\02"
  "\76\41\01\71\45\0d\00\20\01\20\04\36\02\0c\20\00\20\02\75\10\80\80\80\80\00\0b\20\01\20\04\36\02"
  "\08\06\40\06\40\20\00\20\02\41\01\6a\22\05\75\10\80\80\80\80\00\07\80\80\80\80\00\21\06\20\01\24"
  "\80\80\80\80\00\41\00\20\06\36\02\80\88\80\80\00\20\01\20\04\41\03\6a\22\04\36\02\08\20\00\20\02"
  "\41\02\6a\75\10\80\80\80\80\00\0b\19\20\01\24\80\80\80\80\00\20\01\20\01\28\02\08\41\a0\8d\06\6a"
  "\36\02\0c\09\00\0b\07\80\80\80\80\00\21\04\20\01\24\80\80\80\80\00\41\00\20\04\36\02\80\88\80\80"
  "\00\20\02\41\01\6a\21\02\20\01\28\02\0c\41\97\ce\00\6a\21\04\0c\01\0b\20\04\41\b0\db\06\6a\21\04"
  "\20\05\21\02\0b\20\02\41\04\47\0d\00\0b\20\04\20\03\6a\21\02\0b\20\01\41\10\6a\24\80\80\80\80\00"
  "\20\02\0b"
)
(assert_return (invoke "top" (i32.const 0)) (i32.const 550000))
(assert_return (invoke "d2" (i32.const 0)) (i32.const 440000))
(assert_return (invoke "top" (i32.const 1)) (i32.const 440012))
(assert_return (invoke "d2" (i32.const 1)) (i32.const 340007))
(assert_return (invoke "top" (i32.const 2)) (i32.const 450011))
(assert_return (invoke "d2" (i32.const 2)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 3)) (i32.const 340019))
(assert_return (invoke "d2" (i32.const 3)) (i32.const 240014))
(assert_return (invoke "top" (i32.const 4)) (i32.const 450015))
(assert_return (invoke "d2" (i32.const 4)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 5)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 5)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 6)) (i32.const 350030))
(assert_return (invoke "d2" (i32.const 6)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 7)) (i32.const 240026))
(assert_return (invoke "d2" (i32.const 7)) (i32.const 140021))
(assert_return (invoke "top" (i32.const 8)) (i32.const -1))
(assert_return (invoke "d2" (i32.const 8)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 9)) (i32.const -1))
(assert_return (invoke "d2" (i32.const 9)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 10)) (i32.const -1))
(assert_return (invoke "d2" (i32.const 10)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 11)) (i32.const -1))
(assert_return (invoke "d2" (i32.const 11)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 12)) (i32.const -1))
(assert_return (invoke "d2" (i32.const 12)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 13)) (i32.const -1))
(assert_return (invoke "d2" (i32.const 13)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 14)) (i32.const -1))
(assert_return (invoke "d2" (i32.const 14)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 15)) (i32.const -1))
(assert_return (invoke "d2" (i32.const 15)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 16)) (i32.const 550003))
(assert_return (invoke "d2" (i32.const 16)) (i32.const 440003))
(assert_return (invoke "top" (i32.const 17)) (i32.const 440015))
(assert_return (invoke "d2" (i32.const 17)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 18)) (i32.const 450014))
(assert_return (invoke "d2" (i32.const 18)) (i32.const 340013))
(assert_return (invoke "top" (i32.const 19)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 19)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 20)) (i32.const 450018))
(assert_return (invoke "d2" (i32.const 20)) (i32.const 340013))
(assert_return (invoke "top" (i32.const 21)) (i32.const 340025))
(assert_return (invoke "d2" (i32.const 21)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 22)) (i32.const 350033))
(assert_return (invoke "d2" (i32.const 22)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 23)) (i32.const 240029))
(assert_return (invoke "d2" (i32.const 23)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 24)) (i32.const -3))
(assert_return (invoke "d2" (i32.const 24)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 25)) (i32.const -3))
(assert_return (invoke "d2" (i32.const 25)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 26)) (i32.const -3))
(assert_return (invoke "d2" (i32.const 26)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 27)) (i32.const -3))
(assert_return (invoke "d2" (i32.const 27)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 28)) (i32.const -3))
(assert_return (invoke "d2" (i32.const 28)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 29)) (i32.const -3))
(assert_return (invoke "d2" (i32.const 29)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 30)) (i32.const -3))
(assert_return (invoke "d2" (i32.const 30)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 31)) (i32.const -3))
(assert_return (invoke "d2" (i32.const 31)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 32)) (i32.const 550000))
(assert_return (invoke "d2" (i32.const 32)) (i32.const 440000))
(assert_return (invoke "top" (i32.const 33)) (i32.const 440012))
(assert_return (invoke "d2" (i32.const 33)) (i32.const 340007))
(assert_return (invoke "top" (i32.const 34)) (i32.const 450011))
(assert_return (invoke "d2" (i32.const 34)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 35)) (i32.const 340019))
(assert_return (invoke "d2" (i32.const 35)) (i32.const 240014))
(assert_return (invoke "top" (i32.const 36)) (i32.const 450015))
(assert_return (invoke "d2" (i32.const 36)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 37)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 37)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 38)) (i32.const 350030))
(assert_return (invoke "d2" (i32.const 38)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 39)) (i32.const 240026))
(assert_return (invoke "d2" (i32.const 39)) (i32.const 140021))
(assert_return (invoke "top" (i32.const 40)) (i32.const -5))
(assert_return (invoke "d2" (i32.const 40)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 41)) (i32.const -5))
(assert_return (invoke "d2" (i32.const 41)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 42)) (i32.const -5))
(assert_return (invoke "d2" (i32.const 42)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 43)) (i32.const -5))
(assert_return (invoke "d2" (i32.const 43)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 44)) (i32.const -5))
(assert_return (invoke "d2" (i32.const 44)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 45)) (i32.const -5))
(assert_return (invoke "d2" (i32.const 45)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 46)) (i32.const -5))
(assert_return (invoke "d2" (i32.const 46)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 47)) (i32.const -5))
(assert_return (invoke "d2" (i32.const 47)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 48)) (i32.const 550010))
(assert_return (invoke "d2" (i32.const 48)) (i32.const 440010))
(assert_return (invoke "top" (i32.const 49)) (i32.const 440022))
(assert_return (invoke "d2" (i32.const 49)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 50)) (i32.const 450021))
(assert_return (invoke "d2" (i32.const 50)) (i32.const 340020))
(assert_return (invoke "top" (i32.const 51)) (i32.const 340029))
(assert_return (invoke "d2" (i32.const 51)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 52)) (i32.const 450025))
(assert_return (invoke "d2" (i32.const 52)) (i32.const 340020))
(assert_return (invoke "top" (i32.const 53)) (i32.const 340032))
(assert_return (invoke "d2" (i32.const 53)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 54)) (i32.const 350040))
(assert_return (invoke "d2" (i32.const 54)) (i32.const 240034))
(assert_return (invoke "top" (i32.const 55)) (i32.const 240036))
(assert_return (invoke "d2" (i32.const 55)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 56)) (i32.const -7))
(assert_return (invoke "d2" (i32.const 56)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 57)) (i32.const -7))
(assert_return (invoke "d2" (i32.const 57)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 58)) (i32.const -7))
(assert_return (invoke "d2" (i32.const 58)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 59)) (i32.const -7))
(assert_return (invoke "d2" (i32.const 59)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 60)) (i32.const -7))
(assert_return (invoke "d2" (i32.const 60)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 61)) (i32.const -7))
(assert_return (invoke "d2" (i32.const 61)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 62)) (i32.const -7))
(assert_return (invoke "d2" (i32.const 62)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 63)) (i32.const -7))
(assert_return (invoke "d2" (i32.const 63)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 64)) (i32.const 550000))
(assert_return (invoke "d2" (i32.const 64)) (i32.const 440000))
(assert_return (invoke "top" (i32.const 65)) (i32.const 440012))
(assert_return (invoke "d2" (i32.const 65)) (i32.const 340007))
(assert_return (invoke "top" (i32.const 66)) (i32.const 450011))
(assert_return (invoke "d2" (i32.const 66)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 67)) (i32.const 340019))
(assert_return (invoke "d2" (i32.const 67)) (i32.const 240014))
(assert_return (invoke "top" (i32.const 68)) (i32.const 450015))
(assert_return (invoke "d2" (i32.const 68)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 69)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 69)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 70)) (i32.const 350030))
(assert_return (invoke "d2" (i32.const 70)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 71)) (i32.const 240026))
(assert_return (invoke "d2" (i32.const 71)) (i32.const 140021))
(assert_return (invoke "top" (i32.const 72)) (i32.const -9))
(assert_return (invoke "d2" (i32.const 72)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 73)) (i32.const -9))
(assert_return (invoke "d2" (i32.const 73)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 74)) (i32.const -9))
(assert_return (invoke "d2" (i32.const 74)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 75)) (i32.const -9))
(assert_return (invoke "d2" (i32.const 75)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 76)) (i32.const -9))
(assert_return (invoke "d2" (i32.const 76)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 77)) (i32.const -9))
(assert_return (invoke "d2" (i32.const 77)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 78)) (i32.const -9))
(assert_return (invoke "d2" (i32.const 78)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 79)) (i32.const -9))
(assert_return (invoke "d2" (i32.const 79)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 80)) (i32.const 550003))
(assert_return (invoke "d2" (i32.const 80)) (i32.const 440003))
(assert_return (invoke "top" (i32.const 81)) (i32.const 440015))
(assert_return (invoke "d2" (i32.const 81)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 82)) (i32.const 450014))
(assert_return (invoke "d2" (i32.const 82)) (i32.const 340013))
(assert_return (invoke "top" (i32.const 83)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 83)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 84)) (i32.const 450018))
(assert_return (invoke "d2" (i32.const 84)) (i32.const 340013))
(assert_return (invoke "top" (i32.const 85)) (i32.const 340025))
(assert_return (invoke "d2" (i32.const 85)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 86)) (i32.const 350033))
(assert_return (invoke "d2" (i32.const 86)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 87)) (i32.const 240029))
(assert_return (invoke "d2" (i32.const 87)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 88)) (i32.const -11))
(assert_return (invoke "d2" (i32.const 88)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 89)) (i32.const -11))
(assert_return (invoke "d2" (i32.const 89)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 90)) (i32.const -11))
(assert_return (invoke "d2" (i32.const 90)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 91)) (i32.const -11))
(assert_return (invoke "d2" (i32.const 91)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 92)) (i32.const -11))
(assert_return (invoke "d2" (i32.const 92)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 93)) (i32.const -11))
(assert_return (invoke "d2" (i32.const 93)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 94)) (i32.const -11))
(assert_return (invoke "d2" (i32.const 94)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 95)) (i32.const -11))
(assert_return (invoke "d2" (i32.const 95)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 96)) (i32.const 550000))
(assert_return (invoke "d2" (i32.const 96)) (i32.const 440000))
(assert_return (invoke "top" (i32.const 97)) (i32.const 440012))
(assert_return (invoke "d2" (i32.const 97)) (i32.const 340007))
(assert_return (invoke "top" (i32.const 98)) (i32.const 450011))
(assert_return (invoke "d2" (i32.const 98)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 99)) (i32.const 340019))
(assert_return (invoke "d2" (i32.const 99)) (i32.const 240014))
(assert_return (invoke "top" (i32.const 100)) (i32.const 450015))
(assert_return (invoke "d2" (i32.const 100)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 101)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 101)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 102)) (i32.const 350030))
(assert_return (invoke "d2" (i32.const 102)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 103)) (i32.const 240026))
(assert_return (invoke "d2" (i32.const 103)) (i32.const 140021))
(assert_return (invoke "top" (i32.const 104)) (i32.const -13))
(assert_return (invoke "d2" (i32.const 104)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 105)) (i32.const -13))
(assert_return (invoke "d2" (i32.const 105)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 106)) (i32.const -13))
(assert_return (invoke "d2" (i32.const 106)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 107)) (i32.const -13))
(assert_return (invoke "d2" (i32.const 107)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 108)) (i32.const -13))
(assert_return (invoke "d2" (i32.const 108)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 109)) (i32.const -13))
(assert_return (invoke "d2" (i32.const 109)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 110)) (i32.const -13))
(assert_return (invoke "d2" (i32.const 110)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 111)) (i32.const -13))
(assert_return (invoke "d2" (i32.const 111)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 112)) (i32.const 550010))
(assert_return (invoke "d2" (i32.const 112)) (i32.const 440010))
(assert_return (invoke "top" (i32.const 113)) (i32.const 440022))
(assert_return (invoke "d2" (i32.const 113)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 114)) (i32.const 450021))
(assert_return (invoke "d2" (i32.const 114)) (i32.const 340020))
(assert_return (invoke "top" (i32.const 115)) (i32.const 340029))
(assert_return (invoke "d2" (i32.const 115)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 116)) (i32.const 450025))
(assert_return (invoke "d2" (i32.const 116)) (i32.const 340020))
(assert_return (invoke "top" (i32.const 117)) (i32.const 340032))
(assert_return (invoke "d2" (i32.const 117)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 118)) (i32.const 350040))
(assert_return (invoke "d2" (i32.const 118)) (i32.const 240034))
(assert_return (invoke "top" (i32.const 119)) (i32.const 240036))
(assert_return (invoke "d2" (i32.const 119)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 120)) (i32.const -15))
(assert_return (invoke "d2" (i32.const 120)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 121)) (i32.const -15))
(assert_return (invoke "d2" (i32.const 121)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 122)) (i32.const -15))
(assert_return (invoke "d2" (i32.const 122)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 123)) (i32.const -15))
(assert_return (invoke "d2" (i32.const 123)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 124)) (i32.const -15))
(assert_return (invoke "d2" (i32.const 124)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 125)) (i32.const -15))
(assert_return (invoke "d2" (i32.const 125)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 126)) (i32.const -15))
(assert_return (invoke "d2" (i32.const 126)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 127)) (i32.const -15))
(assert_return (invoke "d2" (i32.const 127)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 128)) (i32.const 550000))
(assert_return (invoke "d2" (i32.const 128)) (i32.const 440000))
(assert_return (invoke "top" (i32.const 129)) (i32.const 440012))
(assert_return (invoke "d2" (i32.const 129)) (i32.const 340007))
(assert_return (invoke "top" (i32.const 130)) (i32.const 450011))
(assert_return (invoke "d2" (i32.const 130)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 131)) (i32.const 340019))
(assert_return (invoke "d2" (i32.const 131)) (i32.const 240014))
(assert_return (invoke "top" (i32.const 132)) (i32.const 450015))
(assert_return (invoke "d2" (i32.const 132)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 133)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 133)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 134)) (i32.const 350030))
(assert_return (invoke "d2" (i32.const 134)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 135)) (i32.const 240026))
(assert_return (invoke "d2" (i32.const 135)) (i32.const 140021))
(assert_return (invoke "top" (i32.const 136)) (i32.const -17))
(assert_return (invoke "d2" (i32.const 136)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 137)) (i32.const -17))
(assert_return (invoke "d2" (i32.const 137)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 138)) (i32.const -17))
(assert_return (invoke "d2" (i32.const 138)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 139)) (i32.const -17))
(assert_return (invoke "d2" (i32.const 139)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 140)) (i32.const -17))
(assert_return (invoke "d2" (i32.const 140)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 141)) (i32.const -17))
(assert_return (invoke "d2" (i32.const 141)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 142)) (i32.const -17))
(assert_return (invoke "d2" (i32.const 142)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 143)) (i32.const -17))
(assert_return (invoke "d2" (i32.const 143)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 144)) (i32.const 550003))
(assert_return (invoke "d2" (i32.const 144)) (i32.const 440003))
(assert_return (invoke "top" (i32.const 145)) (i32.const 440015))
(assert_return (invoke "d2" (i32.const 145)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 146)) (i32.const 450014))
(assert_return (invoke "d2" (i32.const 146)) (i32.const 340013))
(assert_return (invoke "top" (i32.const 147)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 147)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 148)) (i32.const 450018))
(assert_return (invoke "d2" (i32.const 148)) (i32.const 340013))
(assert_return (invoke "top" (i32.const 149)) (i32.const 340025))
(assert_return (invoke "d2" (i32.const 149)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 150)) (i32.const 350033))
(assert_return (invoke "d2" (i32.const 150)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 151)) (i32.const 240029))
(assert_return (invoke "d2" (i32.const 151)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 152)) (i32.const -19))
(assert_return (invoke "d2" (i32.const 152)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 153)) (i32.const -19))
(assert_return (invoke "d2" (i32.const 153)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 154)) (i32.const -19))
(assert_return (invoke "d2" (i32.const 154)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 155)) (i32.const -19))
(assert_return (invoke "d2" (i32.const 155)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 156)) (i32.const -19))
(assert_return (invoke "d2" (i32.const 156)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 157)) (i32.const -19))
(assert_return (invoke "d2" (i32.const 157)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 158)) (i32.const -19))
(assert_return (invoke "d2" (i32.const 158)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 159)) (i32.const -19))
(assert_return (invoke "d2" (i32.const 159)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 160)) (i32.const 550000))
(assert_return (invoke "d2" (i32.const 160)) (i32.const 440000))
(assert_return (invoke "top" (i32.const 161)) (i32.const 440012))
(assert_return (invoke "d2" (i32.const 161)) (i32.const 340007))
(assert_return (invoke "top" (i32.const 162)) (i32.const 450011))
(assert_return (invoke "d2" (i32.const 162)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 163)) (i32.const 340019))
(assert_return (invoke "d2" (i32.const 163)) (i32.const 240014))
(assert_return (invoke "top" (i32.const 164)) (i32.const 450015))
(assert_return (invoke "d2" (i32.const 164)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 165)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 165)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 166)) (i32.const 350030))
(assert_return (invoke "d2" (i32.const 166)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 167)) (i32.const 240026))
(assert_return (invoke "d2" (i32.const 167)) (i32.const 140021))
(assert_return (invoke "top" (i32.const 168)) (i32.const -21))
(assert_return (invoke "d2" (i32.const 168)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 169)) (i32.const -21))
(assert_return (invoke "d2" (i32.const 169)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 170)) (i32.const -21))
(assert_return (invoke "d2" (i32.const 170)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 171)) (i32.const -21))
(assert_return (invoke "d2" (i32.const 171)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 172)) (i32.const -21))
(assert_return (invoke "d2" (i32.const 172)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 173)) (i32.const -21))
(assert_return (invoke "d2" (i32.const 173)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 174)) (i32.const -21))
(assert_return (invoke "d2" (i32.const 174)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 175)) (i32.const -21))
(assert_return (invoke "d2" (i32.const 175)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 176)) (i32.const 550010))
(assert_return (invoke "d2" (i32.const 176)) (i32.const 440010))
(assert_return (invoke "top" (i32.const 177)) (i32.const 440022))
(assert_return (invoke "d2" (i32.const 177)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 178)) (i32.const 450021))
(assert_return (invoke "d2" (i32.const 178)) (i32.const 340020))
(assert_return (invoke "top" (i32.const 179)) (i32.const 340029))
(assert_return (invoke "d2" (i32.const 179)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 180)) (i32.const 450025))
(assert_return (invoke "d2" (i32.const 180)) (i32.const 340020))
(assert_return (invoke "top" (i32.const 181)) (i32.const 340032))
(assert_return (invoke "d2" (i32.const 181)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 182)) (i32.const 350040))
(assert_return (invoke "d2" (i32.const 182)) (i32.const 240034))
(assert_return (invoke "top" (i32.const 183)) (i32.const 240036))
(assert_return (invoke "d2" (i32.const 183)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 184)) (i32.const -23))
(assert_return (invoke "d2" (i32.const 184)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 185)) (i32.const -23))
(assert_return (invoke "d2" (i32.const 185)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 186)) (i32.const -23))
(assert_return (invoke "d2" (i32.const 186)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 187)) (i32.const -23))
(assert_return (invoke "d2" (i32.const 187)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 188)) (i32.const -23))
(assert_return (invoke "d2" (i32.const 188)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 189)) (i32.const -23))
(assert_return (invoke "d2" (i32.const 189)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 190)) (i32.const -23))
(assert_return (invoke "d2" (i32.const 190)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 191)) (i32.const -23))
(assert_return (invoke "d2" (i32.const 191)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 192)) (i32.const 550000))
(assert_return (invoke "d2" (i32.const 192)) (i32.const 440000))
(assert_return (invoke "top" (i32.const 193)) (i32.const 440012))
(assert_return (invoke "d2" (i32.const 193)) (i32.const 340007))
(assert_return (invoke "top" (i32.const 194)) (i32.const 450011))
(assert_return (invoke "d2" (i32.const 194)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 195)) (i32.const 340019))
(assert_return (invoke "d2" (i32.const 195)) (i32.const 240014))
(assert_return (invoke "top" (i32.const 196)) (i32.const 450015))
(assert_return (invoke "d2" (i32.const 196)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 197)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 197)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 198)) (i32.const 350030))
(assert_return (invoke "d2" (i32.const 198)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 199)) (i32.const 240026))
(assert_return (invoke "d2" (i32.const 199)) (i32.const 140021))
(assert_return (invoke "top" (i32.const 200)) (i32.const -25))
(assert_return (invoke "d2" (i32.const 200)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 201)) (i32.const -25))
(assert_return (invoke "d2" (i32.const 201)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 202)) (i32.const -25))
(assert_return (invoke "d2" (i32.const 202)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 203)) (i32.const -25))
(assert_return (invoke "d2" (i32.const 203)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 204)) (i32.const -25))
(assert_return (invoke "d2" (i32.const 204)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 205)) (i32.const -25))
(assert_return (invoke "d2" (i32.const 205)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 206)) (i32.const -25))
(assert_return (invoke "d2" (i32.const 206)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 207)) (i32.const -25))
(assert_return (invoke "d2" (i32.const 207)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 208)) (i32.const 550003))
(assert_return (invoke "d2" (i32.const 208)) (i32.const 440003))
(assert_return (invoke "top" (i32.const 209)) (i32.const 440015))
(assert_return (invoke "d2" (i32.const 209)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 210)) (i32.const 450014))
(assert_return (invoke "d2" (i32.const 210)) (i32.const 340013))
(assert_return (invoke "top" (i32.const 211)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 211)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 212)) (i32.const 450018))
(assert_return (invoke "d2" (i32.const 212)) (i32.const 340013))
(assert_return (invoke "top" (i32.const 213)) (i32.const 340025))
(assert_return (invoke "d2" (i32.const 213)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 214)) (i32.const 350033))
(assert_return (invoke "d2" (i32.const 214)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 215)) (i32.const 240029))
(assert_return (invoke "d2" (i32.const 215)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 216)) (i32.const -27))
(assert_return (invoke "d2" (i32.const 216)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 217)) (i32.const -27))
(assert_return (invoke "d2" (i32.const 217)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 218)) (i32.const -27))
(assert_return (invoke "d2" (i32.const 218)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 219)) (i32.const -27))
(assert_return (invoke "d2" (i32.const 219)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 220)) (i32.const -27))
(assert_return (invoke "d2" (i32.const 220)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 221)) (i32.const -27))
(assert_return (invoke "d2" (i32.const 221)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 222)) (i32.const -27))
(assert_return (invoke "d2" (i32.const 222)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 223)) (i32.const -27))
(assert_return (invoke "d2" (i32.const 223)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 224)) (i32.const 550000))
(assert_return (invoke "d2" (i32.const 224)) (i32.const 440000))
(assert_return (invoke "top" (i32.const 225)) (i32.const 440012))
(assert_return (invoke "d2" (i32.const 225)) (i32.const 340007))
(assert_return (invoke "top" (i32.const 226)) (i32.const 450011))
(assert_return (invoke "d2" (i32.const 226)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 227)) (i32.const 340019))
(assert_return (invoke "d2" (i32.const 227)) (i32.const 240014))
(assert_return (invoke "top" (i32.const 228)) (i32.const 450015))
(assert_return (invoke "d2" (i32.const 228)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 229)) (i32.const 340022))
(assert_return (invoke "d2" (i32.const 229)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 230)) (i32.const 350030))
(assert_return (invoke "d2" (i32.const 230)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 231)) (i32.const 240026))
(assert_return (invoke "d2" (i32.const 231)) (i32.const 140021))
(assert_return (invoke "top" (i32.const 232)) (i32.const -29))
(assert_return (invoke "d2" (i32.const 232)) (i32.const 340010))
(assert_return (invoke "top" (i32.const 233)) (i32.const -29))
(assert_return (invoke "d2" (i32.const 233)) (i32.const 240017))
(assert_return (invoke "top" (i32.const 234)) (i32.const -29))
(assert_return (invoke "d2" (i32.const 234)) (i32.const 240020))
(assert_return (invoke "top" (i32.const 235)) (i32.const -29))
(assert_return (invoke "d2" (i32.const 235)) (i32.const 140024))
(assert_return (invoke "top" (i32.const 236)) (i32.const -29))
(assert_return (invoke "d2" (i32.const 236)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 237)) (i32.const -29))
(assert_return (invoke "d2" (i32.const 237)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 238)) (i32.const -29))
(assert_return (invoke "d2" (i32.const 238)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 239)) (i32.const -29))
(assert_return (invoke "d2" (i32.const 239)) (i32.const 40028))
(assert_return (invoke "top" (i32.const 240)) (i32.const 550010))
(assert_return (invoke "d2" (i32.const 240)) (i32.const 440010))
(assert_return (invoke "top" (i32.const 241)) (i32.const 440022))
(assert_return (invoke "d2" (i32.const 241)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 242)) (i32.const 450021))
(assert_return (invoke "d2" (i32.const 242)) (i32.const 340020))
(assert_return (invoke "top" (i32.const 243)) (i32.const 340029))
(assert_return (invoke "d2" (i32.const 243)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 244)) (i32.const 450025))
(assert_return (invoke "d2" (i32.const 244)) (i32.const 340020))
(assert_return (invoke "top" (i32.const 245)) (i32.const 340032))
(assert_return (invoke "d2" (i32.const 245)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 246)) (i32.const 350040))
(assert_return (invoke "d2" (i32.const 246)) (i32.const 240034))
(assert_return (invoke "top" (i32.const 247)) (i32.const 240036))
(assert_return (invoke "d2" (i32.const 247)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 248)) (i32.const -31))
(assert_return (invoke "d2" (i32.const 248)) (i32.const 340017))
(assert_return (invoke "top" (i32.const 249)) (i32.const -31))
(assert_return (invoke "d2" (i32.const 249)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 250)) (i32.const -31))
(assert_return (invoke "d2" (i32.const 250)) (i32.const 240027))
(assert_return (invoke "top" (i32.const 251)) (i32.const -31))
(assert_return (invoke "d2" (i32.const 251)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 252)) (i32.const -31))
(assert_return (invoke "d2" (i32.const 252)) (i32.const 240024))
(assert_return (invoke "top" (i32.const 253)) (i32.const -31))
(assert_return (invoke "d2" (i32.const 253)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 254)) (i32.const -31))
(assert_return (invoke "d2" (i32.const 254)) (i32.const 140031))
(assert_return (invoke "top" (i32.const 255)) (i32.const -31))
(assert_return (invoke "d2" (i32.const 255)) (i32.const 40028))
