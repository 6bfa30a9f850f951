/*
 * wkit's WASI preview1 adapter: a core module (wasm32, no libc) that exports
 * the `wasi_snapshot_preview1` functions a preview1 program imports and
 * implements them over WASI 0.2 imports (wasi:cli, wasi:io, wasi:clocks,
 * wasi:random, wasi:filesystem @0.2.12). `wcompose new` folds it into the
 * component the way wit-component folds in an adapter (lib/compose/cnew.c).
 *
 * Preview1 semantics: the witx of wasi_snapshot_preview1 (as wasi-libc's
 * <wasi/api.h> encodes it: the types and layouts used here come from that
 * header, its _Static_asserts check them). WASI 0.2 side: the WIT packages
 * (wasi-filesystem types.wit, wasi-io streams.wit, ...), lowered by the
 * Component Model's canonical ABI (CanonicalABI.md "Flattening": more than one
 * flat result goes through a return area the caller passes as the last
 * parameter; lists and strings the host returns are allocated by calling
 * this module's `cabi_import_realloc`).
 *
 * Constraints of an adapter (what wit-component expects, and what cnew.c does
 * with it):
 *  - it imports the main module's memory (`env` `memory`) and must not own
 *    any of it: no data segments, no static variables. Its state is a block
 *    of pages it grows itself (memory.grow), found through a wasm global
 *    (adapter/globals.s);
 *  - its C stack (`__stack_pointer`) is allocated by the component's glue:
 *    cnew gives an adapter with a `__stack_pointer` global a start function
 *    that grows the memory by a page for it;
 *  - `cabi_import_realloc` serves the canonical ABI's allocations for the
 *    values imports return: a bump arena in the adapter's own pages, reset
 *    at the start of every preview1 call (nothing returned by an import
 *    outlives the call that asked for it, except what get-directories returns, see S);
 *  - command variant (WK_COMMAND): exports `wasi:cli/run@0.2.12#run`, which
 *    calls the main module's `_start` (imported from `__main_module__`);
 *    reactor variant: no run export.
 *
 * Built by the Makefile with clang --target=wasm32-wasi -nostdlib
 * -ffreestanding -mbulk-memory (memcpy/memset become memory.copy/fill) and
 * wasm-ld --import-memory; wit-gen embed adds the component-type section.
 */
#include <stddef.h>
#include <stdint.h>
#include <wasi/api.h>

#define EXPORT(n) __attribute__((export_name(n)))
#define IMPORT(m, n) __attribute__((import_module(m), import_name(n)))
#define V "@0.2.12"

typedef uint32_t u32;
typedef uint64_t u64;
typedef uint8_t u8;

/* ------------------------------------------------------------ WASI 0.2 imports
 * Core signatures per CanonicalABI.md flattening; `ret` = return area. */
IMPORT("wasi:cli/environment" V, "get-arguments") void env_get_arguments(u32 ret);
IMPORT("wasi:cli/environment" V, "get-environment") void env_get_environment(u32 ret);
IMPORT("wasi:cli/exit" V, "exit") void cli_exit(u32 is_err);
IMPORT("wasi:cli/stdin" V, "get-stdin") u32 cli_get_stdin(void);
IMPORT("wasi:cli/stdout" V, "get-stdout") u32 cli_get_stdout(void);
IMPORT("wasi:cli/stderr" V, "get-stderr") u32 cli_get_stderr(void);
IMPORT("wasi:cli/terminal-stdin" V, "get-terminal-stdin") void term_stdin(u32 ret);
IMPORT("wasi:cli/terminal-stdout" V, "get-terminal-stdout") void term_stdout(u32 ret);
IMPORT("wasi:cli/terminal-stderr" V, "get-terminal-stderr") void term_stderr(u32 ret);
IMPORT("wasi:cli/terminal-input" V, "[resource-drop]terminal-input") void drop_term_in(u32);
IMPORT("wasi:cli/terminal-output" V, "[resource-drop]terminal-output") void drop_term_out(u32);

IMPORT("wasi:io/error" V, "[resource-drop]error") void drop_error(u32);
IMPORT("wasi:io/poll" V, "[resource-drop]pollable") void drop_pollable(u32);
IMPORT("wasi:io/poll" V, "poll") void io_poll(u32 ptr, u32 len, u32 ret);
IMPORT("wasi:io/streams" V, "[resource-drop]input-stream") void drop_input(u32);
IMPORT("wasi:io/streams" V, "[resource-drop]output-stream") void drop_output(u32);
IMPORT("wasi:io/streams" V, "[method]input-stream.blocking-read") void in_blocking_read(u32 self, u64 len, u32 ret);
IMPORT("wasi:io/streams" V, "[method]input-stream.subscribe") u32 in_subscribe(u32 self);
IMPORT("wasi:io/streams" V, "[method]output-stream.check-write") void out_check_write(u32 self, u32 ret);
IMPORT("wasi:io/streams" V, "[method]output-stream.blocking-write-and-flush") void out_write_flush(u32 self, u32 p, u32 n, u32 ret);
IMPORT("wasi:io/streams" V, "[method]output-stream.subscribe") u32 out_subscribe(u32 self);

IMPORT("wasi:clocks/wall-clock" V, "now") void wall_now(u32 ret);
IMPORT("wasi:clocks/wall-clock" V, "resolution") void wall_resolution(u32 ret);
IMPORT("wasi:clocks/monotonic-clock" V, "now") u64 mono_now(void);
IMPORT("wasi:clocks/monotonic-clock" V, "resolution") u64 mono_resolution(void);
IMPORT("wasi:clocks/monotonic-clock" V, "subscribe-instant") u32 mono_subscribe_instant(u64 when);
IMPORT("wasi:clocks/monotonic-clock" V, "subscribe-duration") u32 mono_subscribe_duration(u64 d);

IMPORT("wasi:random/random" V, "get-random-bytes") void random_bytes(u64 len, u32 ret);

#define FS "wasi:filesystem/types" V
IMPORT("wasi:filesystem/preopens" V, "get-directories") void fs_get_directories(u32 ret);
IMPORT(FS, "[resource-drop]descriptor") void drop_descriptor(u32);
IMPORT(FS, "[resource-drop]directory-entry-stream") void drop_dirstream(u32);
IMPORT(FS, "[method]descriptor.advise") void d_advise(u32 self, u64 off, u64 len, u32 advice, u32 ret);
IMPORT(FS, "[method]descriptor.sync-data") void d_sync_data(u32 self, u32 ret);
IMPORT(FS, "[method]descriptor.sync") void d_sync(u32 self, u32 ret);
IMPORT(FS, "[method]descriptor.get-flags") void d_get_flags(u32 self, u32 ret);
IMPORT(FS, "[method]descriptor.get-type") void d_get_type(u32 self, u32 ret);
IMPORT(FS, "[method]descriptor.set-size") void d_set_size(u32 self, u64 size, u32 ret);
IMPORT(FS, "[method]descriptor.set-times")
void d_set_times(u32 self, u32 at, u64 as, u32 an, u32 mt, u64 ms, u32 mn, u32 ret);
IMPORT(FS, "[method]descriptor.read") void d_read(u32 self, u64 len, u64 off, u32 ret);
IMPORT(FS, "[method]descriptor.write") void d_write(u32 self, u32 p, u32 n, u64 off, u32 ret);
IMPORT(FS, "[method]descriptor.read-directory") void d_read_directory(u32 self, u32 ret);
IMPORT(FS, "[method]descriptor.create-directory-at") void d_create_directory_at(u32 self, u32 p, u32 n, u32 ret);
IMPORT(FS, "[method]descriptor.stat") void d_stat(u32 self, u32 ret);
IMPORT(FS, "[method]descriptor.stat-at") void d_stat_at(u32 self, u32 pf, u32 p, u32 n, u32 ret);
IMPORT(FS, "[method]descriptor.set-times-at")
void d_set_times_at(u32 self, u32 pf, u32 p, u32 n, u32 at, u64 as, u32 an, u32 mt, u64 ms, u32 mn, u32 ret);
IMPORT(FS, "[method]descriptor.link-at") void d_link_at(u32 self, u32 pf, u32 p, u32 n, u32 nd, u32 np, u32 nn, u32 ret);
IMPORT(FS, "[method]descriptor.open-at") void d_open_at(u32 self, u32 pf, u32 p, u32 n, u32 of, u32 df, u32 ret);
IMPORT(FS, "[method]descriptor.readlink-at") void d_readlink_at(u32 self, u32 p, u32 n, u32 ret);
IMPORT(FS, "[method]descriptor.remove-directory-at") void d_remove_directory_at(u32 self, u32 p, u32 n, u32 ret);
IMPORT(FS, "[method]descriptor.rename-at") void d_rename_at(u32 self, u32 p, u32 n, u32 nd, u32 np, u32 nn, u32 ret);
IMPORT(FS, "[method]descriptor.symlink-at") void d_symlink_at(u32 self, u32 p, u32 n, u32 np, u32 nn, u32 ret);
IMPORT(FS, "[method]descriptor.unlink-file-at") void d_unlink_file_at(u32 self, u32 p, u32 n, u32 ret);
IMPORT(FS, "[method]descriptor.metadata-hash") void d_metadata_hash(u32 self, u32 ret);
IMPORT(FS, "[method]descriptor.metadata-hash-at") void d_metadata_hash_at(u32 self, u32 pf, u32 p, u32 n, u32 ret);
IMPORT(FS, "[method]directory-entry-stream.read-directory-entry") void ds_read_entry(u32 self, u32 ret);

#ifdef WK_COMMAND
IMPORT("__main_module__", "_start") void main_start(void);
#endif

/* the address of the state block, in the wasm global adapter/globals.s defines: read and written
 * in place (inline assembly; clang has no builtin for a global), not through a call to a function
 * of globals.s that the engine would have to translate like any other */
__asm__(".globaltype wk_adapter_state, i32\n");
static inline int wk_state_get(void) {
  int a;
  __asm__ volatile("global.get wk_adapter_state\n\tlocal.set %0" : "=r"(a));
  return a;
}
static inline void wk_state_set(int a) { __asm__ volatile("local.get %0\n\tglobal.set wk_adapter_state" : : "r"(a)); }

/* ------------------------------------------------------------ memory access */
#define P8(a) (*(volatile u8 *)(uintptr_t)(a))
#define L8(a) (*(u8 *)(uintptr_t)(a))
#define L16(a) (*(uint16_t *)(uintptr_t)(a))
#define L32(a) (*(u32 *)(uintptr_t)(a))
#define L64(a) (*(u64 *)(uintptr_t)(a))
#define PTR(a) ((void *)(uintptr_t)(a))

static void copy(u32 dst, u32 src, u32 n) { __builtin_memcpy(PTR(dst), PTR(src), n); }
static void zero(u32 dst, u32 n) { __builtin_memset(PTR(dst), 0, n); }

#define PAGE 65536u

/* ------------------------------------------------------------ state */
enum { K_FREE, K_STDIN, K_STDOUT, K_STDERR, K_DESC };
#define MAXFD 256u
typedef struct fdent {
  u8 kind;
  u8 ftype;      /* preview1 filetype, K_DESC (0 = not yet known) */
  uint16_t fdflags; /* preview1 fdflags kept here (append, nonblock) */
  u32 handle;    /* descriptor (K_DESC) or stream (stdio; 0 = not yet got) */
  u64 pos;       /* file position (K_DESC) */
  u32 pname, plen; /* preopen name (where get-directories returned it, see S) */
  u32 dstream;   /* open directory-entry-stream of fd_readdir, 0 = none */
  u64 dcookie;   /* the cookie its next entry has */
  u8 term;       /* stdio: 0 unknown, 1 terminal, 2 not a terminal */
  u8 dflags;     /* K_DESC: descriptor-flags asked for at path_open (1 read, 2 write); 0xff = all
                  * (preopens, and only they) */
  u8 rset;       /* path_open or fd_fdstat_set_rights narrowed the rights to rbase / rinh */
  u64 rbase, rinh;
} fdent;

typedef struct state {
  u32 arena, arena_end, arena_next; /* bump arena for cabi_import_realloc: [arena, arena_end), next free */
  /* scratch[0..12]: the return area (SCRATCH) of the imports the functions a C program's start-up
   * reaches call (S, strings, is_terminal, fd_write, fd_read, desc_type, desc_size, desc_write,
   * fdstat_desc, path_open; each reads it back before its next import call); scratch[13]: the byte
   * count of fd_write on a file, scratch[14]: desc_size's result for desc_do_write and fd_seek.
   * C stack slots would give each of those functions a stack-pointer prologue and epilogue
   * (instructions validated and translated at every start-up), and the adapter a stack. */
  u64 scratch[16];
  fdent fds[MAXFD];
} state;

static u32 grow(u32 bytes) {
  u32 pages = (bytes + PAGE - 1) / PAGE;
  if (!pages) pages = 1;
  long old = __builtin_wasm_memory_grow(0, pages);
  if (old < 0) __builtin_trap();
  return (u32)old * PAGE;
}

static state *S(void);
#define SCRATCH ((u32)(uintptr_t)S()->scratch)

/* preopens: wasi:filesystem/preopens get-directories -> list<tuple<own<descriptor>, string>>
 * (element: handle @0, string ptr @4 len @8; size 12), given fds 3, 4, ... */
static void init_preopens(state *s) {
  u32 r = (u32)(uintptr_t)s->scratch;
  fs_get_directories(r);
  u32 p = L32(r), n = L32(r + 4);
  for (u32 i = 0; i < n && i < MAXFD - 3; i++) {
    u32 e = p + 12 * i;
    fdent *f = &s->fds[3 + i];
    f->kind = K_DESC;
    f->ftype = __WASI_FILETYPE_DIRECTORY;
    f->handle = L32(e);
    f->dflags = 0xff;
    f->pname = L32(e + 4); /* kept where the canonical ABI put it: see S */
    f->plen = L32(e + 8);
  }
}

static state *S(void) {
  u32 a = (u32)wk_state_get();
  if (a) return PTR(a);
  /* (fresh pages: zeroed, Core 4.5.3 growmem.) The state starts 8 bytes into them: in a memory that
   * was empty (0 pages, and no stack page: cnew.c allocates none when no kept function uses the
   * stack) it would otherwise be at address 0, which the global cannot tell from "no state yet": the
   * next S() (cabi_import_realloc, called while get-directories' result is lowered below) would set it
   * up again and call an import where the canonical ABI forbids it (CanonicalABI.md "may_leave"). */
  a = grow(sizeof(state) + 8) + 8;
  wk_state_set((int)a);
  state *s = PTR(a);
  s->fds[0].kind = K_STDIN;
  s->fds[1].kind = K_STDOUT;
  s->fds[2].kind = K_STDERR;
  /* the arena starts empty (arena_end 0): cabi_import_realloc grows one on the first allocation */
  init_preopens(s);
  /* what get-directories returned (the list and the preopen names) stays where it is: arena_end 0
   * makes the next allocation start a fresh arena, so nothing reuses those bytes (no copy to keep) */
  s->arena_end = 0;
  return s;
}

/* Every preview1 entry point starts here: the state, with an empty arena. (Inlined, as are do_write
 * and do_read into their two entry points: a call the program makes into the adapter translates each
 * function it reaches on first use, a fixed cost per function; the entry points a program does not
 * import are removed by `wcompose new`.) */
__attribute__((always_inline)) static inline state *enter(void) {
  state *s = S();
  s->arena_next = s->arena;
  return s;
}

/* The canonical ABI's realloc for values the imports return (CanonicalABI.md
 * "Canonical ABI Options": realloc(old_ptr, old_size, align, new_size)); only fresh
 * allocations happen when lowering an import's results. */
EXPORT("cabi_import_realloc") u32 cabi_import_realloc(u32 old, u32 old_size, u32 align, u32 size) {
  state *s = S();
  if (old || old_size) __builtin_trap();
  u32 m = (align ? align : 1) - 1; /* alignment mask */
  u32 p = (s->arena_next + m) & ~m;
  if (p + size > s->arena_end || p + size < p) {
    /* a fresh arena: size + align bytes (>= 1) rounded up to whole pages (arena_next is set below) */
    u32 pages = (size + m + PAGE) >> 16;
    long old_pages = __builtin_wasm_memory_grow(0, pages ? pages : 1);
    if (old_pages < 0) __builtin_trap();
    s->arena = (u32)old_pages * PAGE;
    s->arena_end = s->arena + pages * PAGE;
    p = (s->arena + m) & ~m;
  }
  s->arena_next = p + size;
  return p;
}

/* ------------------------------------------------------------ errors */
/* wasi:filesystem/types error-code (enum, declaration order) -> preview1 errno */
/* (a table packed into 64-bit constants, eight errnos a constant (each < 256), rather than a switch:
 * an adapter has no data segments, and a switch is a compare chain ~10x the size; every byte here is
 * decoded and validated at each start-up of every component the adapter is in) */
#define B8(a, b, c, d, e, f, g, h)                                                                  \
  ((u64)__WASI_ERRNO_##a | (u64)__WASI_ERRNO_##b << 8 | (u64)__WASI_ERRNO_##c << 16 |              \
   (u64)__WASI_ERRNO_##d << 24 | (u64)__WASI_ERRNO_##e << 32 | (u64)__WASI_ERRNO_##f << 40 |       \
   (u64)__WASI_ERRNO_##g << 48 | (u64)__WASI_ERRNO_##h << 56)
__attribute__((noinline)) static u32 fs_errno(u32 ec) {
  u64 w;
  if (ec < 8) w = B8(ACCES, AGAIN, ALREADY, BADF, BUSY, DEADLK, DQUOT, EXIST);            /* 0-7 */
  else if (ec < 16) w = B8(FBIG, ILSEQ, INPROGRESS, INTR, INVAL, IO, ISDIR, LOOP);        /* 8-15 */
  else if (ec < 24) w = B8(MLINK, MSGSIZE, NAMETOOLONG, NODEV, NOENT, NOLCK, NOMEM, NOSPC); /* 16-23 */
  else if (ec < 32) w = B8(NOTDIR, NOTEMPTY, NOTRECOVERABLE, NOTSUP, NOTTY, NXIO, OVERFLOW, PERM); /* 24-31 */
  else if (ec < 37) w = B8(PIPE, ROFS, SPIPE, TXTBSY, XDEV, IO, IO, IO);                  /* 32-36 */
  else return __WASI_ERRNO_IO;
  return (u32)(w >> (ec & 7) * 8) & 0xff;
}
#undef B8
_Static_assert(__WASI_ERRNO_XDEV < 256 && __WASI_ERRNO_NOTCAPABLE < 256, "errnos fit a byte");

/* result<_, error-code> in a return area: discriminant @0, error-code @1 */
static u32 unit_result(u32 r) { return L8(r) ? fs_errno(L8(r + 1)) : 0; }

/* wasi:filesystem descriptor-type -> preview1 filetype */
static u8 ftype_of(u32 t) {
  /* descriptor-type 0-7 (unknown, block-device, character-device, directory, fifo, symbolic-link,
   * regular-file, socket), one byte each of a 64-bit constant as fs_errno does */
  u64 w = (u64)__WASI_FILETYPE_UNKNOWN | (u64)__WASI_FILETYPE_BLOCK_DEVICE << 8 |
          (u64)__WASI_FILETYPE_CHARACTER_DEVICE << 16 | (u64)__WASI_FILETYPE_DIRECTORY << 24 |
          (u64)__WASI_FILETYPE_UNKNOWN << 32 | (u64)__WASI_FILETYPE_SYMBOLIC_LINK << 40 |
          (u64)__WASI_FILETYPE_REGULAR_FILE << 48 | (u64)__WASI_FILETYPE_SOCKET_STREAM << 56;
  return t < 8 ? (u8)(w >> t * 8) : __WASI_FILETYPE_UNKNOWN;
}

static u32 desc_type(fdent *f);
#define IS_DIR(f) (desc_type(f) == __WASI_FILETYPE_DIRECTORY) /* (a failing get-type: not a directory) */
static u32 fdstat_(fdent *f, __wasi_fdstat_t *st);

static fdent *get_fd(state *s, u32 fd) {
  if (fd >= MAXFD || s->fds[fd].kind == K_FREE) return 0;
  return &s->fds[fd];
}

/* enter() and the fd's entry (0 = not open): one out-of-line copy that every fd entry point calls,
 * rather than the state set-up and bounds check inlined into each (every instruction of the adapter
 * is validated at each start-up of a component it is in, and translated on first call) */
__attribute__((noinline)) static fdent *fd_get(u32 fd) { return get_fd(enter(), fd); }

/* the stdio stream of fd 0/1/2, got on first use */
static u32 stdio_stream(fdent *f) {
  if (!f->handle)
    f->handle = f->kind == K_STDIN ? cli_get_stdin() : f->kind == K_STDOUT ? cli_get_stdout() : cli_get_stderr();
  return f->handle;
}

/* a stream-error in a return area at `e` (variant: last-operation-failed(own<error>) = 0,
 * closed = 1; payload @e+4): its error resource is dropped; closed -> `closed_errno` */
static u32 stream_errno(u32 e, u32 closed_errno) {
  if (L8(e) == 0) {
    drop_error(L32(e + 4));
    return __WASI_ERRNO_IO;
  }
  return closed_errno;
}

/* ------------------------------------------------------------ args and environment */
/* get-arguments -> list<string> (element: ptr @0 len @4) and get-environment ->
 * list<tuple<string, string>> (element: key ptr @0 len @4, value ptr @8 len @12): a list of
 * `parts` strings per element, which preview1 hands out as NUL-terminated strings with the
 * parts joined by '=' (args_sizes_get/args_get, environ_sizes_get/environ_get). */
/* sizes = 1: the *_sizes_get call (count -> a, bytes -> b); else the *_get call (pointers from a,
 * strings from b). One function for the four entry points: a program calls both of a pair, and
 * each function of the adapter is validated and translated at start-up. (The import called by
 * `parts`, not through a function pointer: the two imports then need no table and no element
 * segment, and `wcompose new` can route each through the shim's table itself, cnew.c
 * adapter_call_slots.) */
__attribute__((noinline)) static u32 strings(u32 parts, u32 a, u32 b, int sizes) {
  u32 r = (u32)(uintptr_t)enter()->scratch;
  if (parts == 1) env_get_arguments(r);
  else env_get_environment(r);
  /* the list's strings one after the other (a tuple<string, string> is two of them, as laid out):
   * string j is part k = j & (parts - 1) of element j >> (parts - 1) (parts is 1 or 2) */
  u32 p = L32(r), n = L32(r + 4), buf = b;
  for (u32 j = 0; j < n * parts; j++) {
    u32 e = p + 8 * j, sl = L32(e + 4), k = j & (parts - 1);
    if (!sizes) {
      if (!k) L32(a + 4 * (j >> (parts - 1))) = buf;
      copy(buf, L32(e), sl);
      L8(buf + sl) = k + 1 < parts ? '=' : 0;
    }
    buf += sl + 1;
  }
  if (sizes) {
    L32(a) = n;
    L32(b) = buf - b;
  }
  return 0;
}

EXPORT("args_sizes_get") u32 p1_args_sizes_get(u32 argc, u32 size) {
  return strings(1, argc, size, 1);
}

EXPORT("args_get") u32 p1_args_get(u32 argv, u32 buf) { return strings(1, argv, buf, 0); }

EXPORT("environ_sizes_get") u32 p1_environ_sizes_get(u32 count, u32 size) {
  return strings(2, count, size, 1);
}

EXPORT("environ_get") u32 p1_environ_get(u32 environ, u32 buf) {
  return strings(2, environ, buf, 0);
}

/* ------------------------------------------------------------ clocks, random, process */
static u64 wall_ns(void (*f)(u32)) {
  u64 ret[2];
  u32 r = (u32)(uintptr_t)ret;
  f(r); /* datetime {seconds: u64 @0, nanoseconds: u32 @8} */
  return L64(r) * 1000000000ull + L32(r + 8);
}

EXPORT("clock_res_get") u32 p1_clock_res_get(u32 id, u32 out) {
  enter();
  if (id == __WASI_CLOCKID_REALTIME) L64(out) = wall_ns(wall_resolution);
  else if (id == __WASI_CLOCKID_MONOTONIC) L64(out) = mono_resolution();
  else return __WASI_ERRNO_INVAL;
  return 0;
}

EXPORT("clock_time_get") u32 p1_clock_time_get(u32 id, u64 precision, u32 out) {
  enter();
  if (id == __WASI_CLOCKID_REALTIME) L64(out) = wall_ns(wall_now);
  else if (id == __WASI_CLOCKID_MONOTONIC) L64(out) = mono_now();
  else return __WASI_ERRNO_INVAL;
  return 0;
}

EXPORT("random_get") u32 p1_random_get(u32 buf, u32 len) {
  state *s = enter();
  while (len) {
    u32 n = len > PAGE ? PAGE : len;
    u64 ret[1];
    u32 r = (u32)(uintptr_t)ret;
    random_bytes(n, r);
    u32 got = L32(r + 4);
    if (got > n) got = n;
    if (!got) return __WASI_ERRNO_IO;
    copy(buf, L32(r), got);
    buf += got;
    len -= got;
    s->arena_next = s->arena;
  }
  return 0;
}

/* proc_exit(rval): wasi:cli/exit exit(result): 0 -> ok, anything else -> err (WASI 0.2 has no
 * exit code; the host exits with 1) */
EXPORT("proc_exit") void p1_proc_exit(u32 code) {
  enter();
  cli_exit(code != 0);
  __builtin_trap();
}

EXPORT("proc_raise") u32 p1_proc_raise(u32 sig) { return __WASI_ERRNO_NOSYS; }
EXPORT("sched_yield") u32 p1_sched_yield(void) { return 0; }

/* ------------------------------------------------------------ fd_write / fd_read */
/* stdout/stderr: blocking-write-and-flush in pieces of at most 4096 bytes (streams.wit: the
 * contents of one call must not exceed 4096 bytes). -> result<_, stream-error>: disc @0,
 * stream-error @4 */
static u32 stream_write(u32 os, u32 p, u32 n, u32 *done, u32 r /* return area, 12 bytes */) {
  while (n) {
    u32 k = n > 4096 ? 4096 : n;
    out_write_flush(os, p, k, r);
    if (L8(r)) return stream_errno(r + 4, __WASI_ERRNO_PIPE);
    p += k;
    n -= k;
    *done += k;
  }
  return 0;
}

/* descriptor.write(buffer, offset) -> result<filesize, error-code>: disc @0, u64 / error @8 */
static u32 desc_write(fdent *f, u32 p, u32 n, u64 off, u32 *done) {
  while (n) {
    u32 r = SCRATCH;
    d_write(f->handle, p, n, off, r);
    if (L8(r)) return L8(r + 8) == 31 || L8(r + 8) == 0 ? __WASI_ERRNO_BADF : fs_errno(L8(r + 8));
    u32 k = (u32)L64(r + 8);
    if (!k || k > n) return k ? __WASI_ERRNO_IO : 0;
    p += k;
    n -= k;
    off += k;
    *done += k;
  }
  return 0;
}

/* descriptor.stat(): result<descriptor-stat, error-code>; the stat record at @8:
 * type @8, link-count @16, size @24, then three option<datetime> at @32, @56, @80
 * (disc @+0, seconds @+8, nanoseconds @+16) */
static u32 desc_size(fdent *f, u64 *size) {
  u32 r = SCRATCH;
  d_stat(f->handle, r);
  if (L8(r)) return fs_errno(L8(r + 8));
  *size = L64(r + 24);
  return 0;
}

/* fd_write/fd_pwrite on a file (K_DESC): its own function, out of do_write's stdio path, so that a
 * program that only writes to stdout never translates it (the engine translates each function on
 * its first call) */
__attribute__((noinline)) static u32 desc_do_write(fdent *f, u32 iovs, u32 niov, int has_off, u64 off, u32 *done) {
  u32 e = 0;
  if (!(f->dflags & 2)) return __WASI_ERRNO_BADF; /* not opened for writing */
  if (IS_DIR(f)) return __WASI_ERRNO_ISDIR;
  u64 *atp = &S()->scratch[14]; /* (see state) */
  *atp = has_off ? off : f->pos;
  if (!has_off && (f->fdflags & __WASI_FDFLAGS_APPEND)) {
    e = desc_size(f, atp);
    if (e) return e;
  }
  u64 at = *atp;
  for (u32 i = 0; i < niov && !e; i++) {
    u32 n = L32(iovs + 8 * i + 4), before = *done;
    e = desc_write(f, L32(iovs + 8 * i), n, at + *done, done);
    if (*done - before < n) break;
  }
  if (!has_off) f->pos = at + *done;
  return e;
}

__attribute__((always_inline)) static inline u32 do_write(u32 fd, u32 iovs, u32 niov, int has_off, u64 off, u32 nwritten) {
  fdent *f = fd_get(fd);
  if (!f) return __WASI_ERRNO_BADF;
  if (f->rset && !(f->rbase & __WASI_RIGHTS_FD_WRITE))
    return f->kind == K_DESC && !(f->dflags & 2) ? __WASI_ERRNO_BADF : __WASI_ERRNO_NOTCAPABLE;
  u32 done = 0, e = 0;
  if (f->kind == K_STDOUT || f->kind == K_STDERR) {
    if (has_off) return __WASI_ERRNO_SPIPE;
    u32 os = stdio_stream(f), r = (u32)(uintptr_t)S()->scratch; /* (no C stack frame: see state) */
    for (u32 i = 0; i < niov && !e; i++) e = stream_write(os, L32(iovs + 8 * i), L32(iovs + 8 * i + 4), &done, r);
  } else if (f->kind == K_DESC) {
    u32 *dp = (u32 *)&S()->scratch[13]; /* the count desc_do_write keeps, outside the C stack */
    *dp = 0;
    e = desc_do_write(f, iovs, niov, has_off, off, dp);
    done = *dp;
  } else {
    return __WASI_ERRNO_BADF;
  }
  if (e && !done) return e;
  L32(nwritten) = done;
  return 0;
}

EXPORT("fd_write") u32 p1_fd_write(u32 fd, u32 iovs, u32 n, u32 nw) { return do_write(fd, iovs, n, 0, 0, nw); }
EXPORT("fd_pwrite") u32 p1_fd_pwrite(u32 fd, u32 iovs, u32 n, u64 off, u32 nw) { return do_write(fd, iovs, n, 1, off, nw); }

__attribute__((always_inline)) static inline u32 do_read(u32 fd, u32 iovs, u32 niov, int has_off, u64 off, u32 nread) {
  fdent *f = fd_get(fd);
  if (!f) return __WASI_ERRNO_BADF;
  if (f->rset && !(f->rbase & __WASI_RIGHTS_FD_READ))
    return f->kind == K_DESC && !(f->dflags & 1) ? __WASI_ERRNO_BADF : __WASI_ERRNO_NOTCAPABLE;
  /* stdin and files in one loop (one copy of the iovec walk: every instruction of the adapter is
   * validated at each start-up of a component it is in) */
  int desc = f->kind == K_DESC;
  if (!desc && f->kind != K_STDIN) return __WASI_ERRNO_BADF;
  if (!desc && has_off) return __WASI_ERRNO_SPIPE;
  if (desc && IS_DIR(f)) return __WASI_ERRNO_ISDIR;
  if (desc && !(f->dflags & 1)) return __WASI_ERRNO_BADF; /* not opened for reading */
  u64 at = has_off ? off : f->pos;
  u32 done = 0, is = desc ? 0 : stdio_stream(f);
  for (u32 i = 0; i < niov; i++) {
    u32 p = L32(iovs + 8 * i), n = L32(iovs + 8 * i + 4);
    if (!n) continue;
    /* stdin: blocking-read(len) -> result<list<u8>, stream-error>: disc @0, list @4 / error @4;
     * a file: read(length, offset) -> result<tuple<list<u8>, bool>, error-code>: disc @0, list @4
     * @8, eof @12; error @4 */
    u32 r = SCRATCH;
    if (desc) {
      if (n > 16 * PAGE) n = 16 * PAGE;
      d_read(f->handle, n, at + done, r);
    } else {
      in_blocking_read(is, n, r);
    }
    if (L8(r)) {
      if (!desc) {
        if (L8(r + 4) == 1) break; /* closed: end of file */
        return stream_errno(r + 4, __WASI_ERRNO_IO);
      }
      if (done) break;
      /* not opened for reading: BADF in preview1 (0.2 hosts say not-permitted or access) */
      return L8(r + 4) == 31 || L8(r + 4) == 0 ? __WASI_ERRNO_BADF : fs_errno(L8(r + 4));
    }
    u32 k = L32(r + 8);
    if (k > n) k = n;
    copy(p, L32(r + 4), k);
    done += k;
    if (!desc) break; /* stdin: one read (a short read is a read) */
    { state *s_ = S(); s_->arena_next = s_->arena; }
    if (k < L32(iovs + 8 * i + 4)) break;
  }
  if (desc && !has_off) f->pos = at + done;
  L32(nread) = done;
  return 0;
}

EXPORT("fd_read") u32 p1_fd_read(u32 fd, u32 iovs, u32 n, u32 nr) { return do_read(fd, iovs, n, 0, 0, nr); }
EXPORT("fd_pread") u32 p1_fd_pread(u32 fd, u32 iovs, u32 n, u64 off, u32 nr) { return do_read(fd, iovs, n, 1, off, nr); }

/* ------------------------------------------------------------ fd management */
EXPORT("fd_seek") u32 p1_fd_seek(u32 fd, int64_t off, u32 whence, u32 out) {
  fdent *f = fd_get(fd);
  if (!f) return __WASI_ERRNO_BADF;
  if (f->kind != K_DESC) return __WASI_ERRNO_SPIPE;
  if (IS_DIR(f)) return __WASI_ERRNO_BADF; /* no seeking a directory */
  int64_t base;
  if (whence == __WASI_WHENCE_SET) base = 0;
  else if (whence == __WASI_WHENCE_CUR) base = (int64_t)f->pos;
  else if (whence == __WASI_WHENCE_END) {
    u64 *sz = &S()->scratch[14]; /* (see state) */
    u32 e = desc_size(f, sz);
    if (e) return e;
    base = (int64_t)*sz;
  } else return __WASI_ERRNO_INVAL;
  int64_t np = base + off;
  if (np < 0) return __WASI_ERRNO_INVAL;
  f->pos = (u64)np;
  L64(out) = f->pos;
  return 0;
}

EXPORT("fd_tell") u32 p1_fd_tell(u32 fd, u32 out) {
  fdent *f = fd_get(fd);
  if (!f) return __WASI_ERRNO_BADF;
  if (f->kind != K_DESC) return __WASI_ERRNO_SPIPE;
  if (IS_DIR(f)) return __WASI_ERRNO_BADF;
  L64(out) = f->pos;
  return 0;
}

static void release(fdent *f) {
  if (f->kind == K_DESC) {
    if (f->dstream) drop_dirstream(f->dstream);
    if (f->handle) drop_descriptor(f->handle);
  } else if (f->handle) {
    if (f->kind == K_STDIN) drop_input(f->handle);
    else drop_output(f->handle);
  }
  __builtin_memset(f, 0, sizeof *f);
}

EXPORT("fd_close") u32 p1_fd_close(u32 fd) {
  fdent *f = fd_get(fd);
  if (!f) return __WASI_ERRNO_BADF;
  release(f);
  return 0;
}

EXPORT("fd_renumber") u32 p1_fd_renumber(u32 from, u32 to) {
  state *s = enter();
  fdent *a = get_fd(s, from), *b = get_fd(s, to);
  if (!a || !b) return __WASI_ERRNO_BADF;
  if (from == to) return 0;
  release(b);
  *b = *a;
  __builtin_memset(a, 0, sizeof *a);
  return 0;
}

/* stdio: a terminal when wasi:cli/terminal-std* gives a terminal (option<own<...>>: disc @0, handle @4) */
__attribute__((always_inline)) static inline int is_terminal(fdent *f) {
  if (!f->term) {
    u32 r = (u32)(uintptr_t)S()->scratch;
    if (f->kind == K_STDIN) term_stdin(r);
    else if (f->kind == K_STDOUT) term_stdout(r);
    else term_stderr(r);
    f->term = L8(r) ? 1 : 2;
    if (L8(r)) {
      if (f->kind == K_STDIN) drop_term_in(L32(r + 4));
      else drop_term_out(L32(r + 4));
    }
  }
  return f->term == 1;
}

#define RIGHTS_ALL ((u64)0x1fffffff)
#define RIGHTS_TTY (RIGHTS_ALL & ~(u64)(__WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL))

/* the preview1 filetype of a descriptor (< 0x100), or 0x100 | errno when get-type fails:
 * get-type -> result<descriptor-type, error-code> (disc @0, @1). (A value, not an out-parameter:
 * its callers then need no C stack frame.) */
static u32 desc_type(fdent *f) {
  if (!f->ftype) {
    u32 r = SCRATCH;
    d_get_type(f->handle, r);
    if (L8(r)) return 0x100 | fs_errno(L8(r + 1));
    f->ftype = ftype_of(L8(r + 1));
    if (!f->ftype) f->ftype = 0xff; /* unknown, asked */
  }
  return f->ftype == 0xff ? __WASI_FILETYPE_UNKNOWN : f->ftype;
}

/* fdstat of `f` (rights narrowed by fd_fdstat_set_rights applied) */
__attribute__((always_inline)) static inline u32 fdstat(fdent *f, __wasi_fdstat_t *st) {
  u32 e = fdstat_(f, st);
  if (!e && f->rset) {
    st->fs_rights_base &= f->rbase;
    st->fs_rights_inheriting &= f->rinh;
  }
  return e;
}

EXPORT("fd_fdstat_get") u32 p1_fd_fdstat_get(u32 fd, u32 out) {
  fdent *f = fd_get(fd);
  if (!f) return __WASI_ERRNO_BADF;
  /* written in place (fdstat_ writes nothing on failure): no copy through a stack struct */
  return fdstat(f, PTR(out));
}

/* preview1 rights only narrow (witx: fd_fdstat_set_rights "can only remove rights"); WASI 0.2 has
 * none, so they are kept here and checked by fd_read / fd_write */
EXPORT("fd_fdstat_set_rights") u32 p1_fd_fdstat_set_rights(u32 fd, u64 base, u64 inh) {
  fdent *f = fd_get(fd);
  if (!f) return __WASI_ERRNO_BADF;
  __wasi_fdstat_t st;
  u32 e = fdstat(f, &st);
  if (e) return e;
  if ((base & ~st.fs_rights_base) || (inh & ~st.fs_rights_inheriting)) return __WASI_ERRNO_NOTCAPABLE;
  f->rset = 1;
  f->rbase = base;
  f->rinh = inh;
  return 0;
}

static u32 fdstat_desc(fdent *f, __wasi_fdstat_t *st);
_Static_assert(offsetof(__wasi_fdstat_t, fs_flags) == 2 && offsetof(__wasi_fdstat_t, fs_rights_base) == 8, "fdstat");
static u32 fdstat_(fdent *f, __wasi_fdstat_t *st) {
  if (f->kind != K_DESC) {
    /* every byte written once, padding included (filetype @0, 0 @1, flags @2, 0 @4, rights @8, @16):
     * fewer instructions than zeroing the 24 bytes first */
    u32 *w = (u32 *)st;
    w[0] = (is_terminal(f) ? __WASI_FILETYPE_CHARACTER_DEVICE : __WASI_FILETYPE_UNKNOWN) | (u32)f->fdflags << 16;
    w[1] = 0;
    st->fs_rights_base = RIGHTS_TTY & ~(u64)(f->kind == K_STDIN ? __WASI_RIGHTS_FD_WRITE : __WASI_RIGHTS_FD_READ);
    st->fs_rights_inheriting = 0;
    return 0;
  }
  return fdstat_desc(f, st);
}

/* fdstat_ of a file (K_DESC): its own function, out of the stdio path (see desc_do_write) */
__attribute__((noinline)) static u32 fdstat_desc(fdent *f, __wasi_fdstat_t *st) {
  u32 t = desc_type(f);
  if (t > 0xff) return t & 0xff;
  /* get-flags -> result<descriptor-flags, error-code>: disc @0, flags @1 */
  u32 r = SCRATCH;
  d_get_flags(f->handle, r);
  if (L8(r)) return fs_errno(L8(r + 1));
  u32 df = L8(r + 1);
  uint16_t fl = f->fdflags & (__WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK);
  if (df & 4) fl |= __WASI_FDFLAGS_SYNC;
  if (df & 8) fl |= __WASI_FDFLAGS_DSYNC;
  if (df & 16) fl |= __WASI_FDFLAGS_RSYNC;
  u64 rights = RIGHTS_ALL;
  if (t == __WASI_FILETYPE_DIRECTORY) df |= 3; /* a directory's rights are its path rights */
  if (!(df & 1)) rights &= ~(u64)(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR);
  if (!(df & 2)) rights &= ~(u64)(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_DATASYNC);
  /* a directory: its path rights, none of a file's (opening "." with a directory's own rights
   * must give a directory again) */
  if (t == __WASI_FILETYPE_DIRECTORY)
    rights &= ~(u64)(__WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                     __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_DATASYNC |
                     __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE); /* no truncating by path in WASI 0.2 */
  zero((u32)(uintptr_t)st, sizeof *st);
  st->fs_filetype = t;
  st->fs_flags = fl;
  st->fs_rights_base = rights;
  st->fs_rights_inheriting = t == __WASI_FILETYPE_DIRECTORY ? RIGHTS_ALL : 0;
  return 0;
}

EXPORT("fd_fdstat_set_flags") u32 p1_fd_fdstat_set_flags(u32 fd, u32 flags) {
  fdent *f = fd_get(fd);
  if (!f) return __WASI_ERRNO_BADF;
  if (flags & ~(u32)(__WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK)) return __WASI_ERRNO_NOTSUP;
  f->fdflags = (uint16_t)flags;
  return 0;
}


/* descriptor-stat at `st` (see desc_size) -> preview1 filestat; ino from metadata-hash */
static void fill_filestat(u32 out, u32 st, u64 ino) {
  __wasi_filestat_t *fs = PTR(out);
  zero(out, sizeof *fs);
  fs->dev = 0;
  fs->ino = ino;
  fs->filetype = ftype_of(L8(st));
  fs->nlink = L64(st + 8);
  fs->size = L64(st + 16);
  if (L8(st + 24)) fs->atim = L64(st + 32) * 1000000000ull + L32(st + 40);
  if (L8(st + 48)) fs->mtim = L64(st + 56) * 1000000000ull + L32(st + 64);
  if (L8(st + 72)) fs->ctim = L64(st + 80) * 1000000000ull + L32(st + 88);
}

EXPORT("fd_filestat_get") u32 p1_fd_filestat_get(u32 fd, u32 out) {
  fdent *f = fd_get(fd);
  if (!f) return __WASI_ERRNO_BADF;
  if (f->kind != K_DESC) {
    zero(out, sizeof(__wasi_filestat_t));
    ((__wasi_filestat_t *)PTR(out))->filetype = is_terminal(f) ? __WASI_FILETYPE_CHARACTER_DEVICE : __WASI_FILETYPE_UNKNOWN;
    return 0;
  }
  u64 ret[13], h[3];
  u32 r = (u32)(uintptr_t)ret, hr = (u32)(uintptr_t)h;
  d_stat(f->handle, r);
  if (L8(r)) return fs_errno(L8(r + 8));
  /* metadata-hash -> result<metadata-hash-value {lower, upper}, error-code>: disc @0, lower @8 */
  d_metadata_hash(f->handle, hr);
  fill_filestat(out, r + 8, L8(hr) ? 0 : L64(hr + 8));
  return 0;
}

EXPORT("fd_filestat_set_size") u32 p1_fd_filestat_set_size(u32 fd, u64 size) {
  fdent *f = fd_get(fd);
  if (!f || f->kind != K_DESC) return f ? __WASI_ERRNO_INVAL : __WASI_ERRNO_BADF;
  u8 ret[4];
  u32 r = (u32)(uintptr_t)ret;
  d_set_size(f->handle, size, r);
  return unit_result(r);
}

/* preview1 (timestamp, fstflags) -> new-timestamp {no-change, now, timestamp(datetime)} */
typedef struct nts { u32 tag; u64 sec; u32 ns; } nts;
static int new_ts(u64 t, u32 fl, u32 set, u32 now, nts *o) {
  if ((fl & set) && (fl & now)) return 0;
  o->tag = (fl & now) ? 1 : (fl & set) ? 2 : 0;
  o->sec = t / 1000000000ull;
  o->ns = (u32)(t % 1000000000ull);
  if (o->tag != 2) o->sec = o->ns = 0;
  return 1;
}

EXPORT("fd_filestat_set_times") u32 p1_fd_filestat_set_times(u32 fd, u64 at, u64 mt, u32 fl) {
  fdent *f = fd_get(fd);
  if (!f || f->kind != K_DESC) return f ? __WASI_ERRNO_NOTSUP : __WASI_ERRNO_BADF;
  nts a, m;
  if (fl & ~0xfu || !new_ts(at, fl, __WASI_FSTFLAGS_ATIM, __WASI_FSTFLAGS_ATIM_NOW, &a) ||
      !new_ts(mt, fl, __WASI_FSTFLAGS_MTIM, __WASI_FSTFLAGS_MTIM_NOW, &m))
    return __WASI_ERRNO_INVAL;
  u8 ret[4];
  u32 r = (u32)(uintptr_t)ret;
  d_set_times(f->handle, a.tag, a.sec, a.ns, m.tag, m.sec, m.ns, r);
  return unit_result(r);
}

EXPORT("fd_advise") u32 p1_fd_advise(u32 fd, u64 off, u64 len, u32 advice) {
  fdent *f = fd_get(fd);
  if (!f || f->kind != K_DESC) return f ? __WASI_ERRNO_SPIPE : __WASI_ERRNO_BADF;
  if (advice > 5) return __WASI_ERRNO_INVAL;
  u8 ret[4];
  u32 r = (u32)(uintptr_t)ret;
  d_advise(f->handle, off, len, advice, r); /* advice enums: same order */
  return unit_result(r);
}

EXPORT("fd_allocate") u32 p1_fd_allocate(u32 fd, u64 off, u64 len) {
  fdent *f = fd_get(fd);
  if (!f || (f->kind == K_DESC && IS_DIR(f))) return __WASI_ERRNO_BADF;
  return __WASI_ERRNO_NOTSUP; /* WASI 0.2 has no allocate */
}

/* sync-data and sync: descriptor -> result<_, error-code>; EINVAL for a stream, as preview1 hosts */
static u32 desc_sync(u32 fd, void (*op)(u32 self, u32 ret)) {
  fdent *f = fd_get(fd);
  if (!f || f->kind != K_DESC) return f ? __WASI_ERRNO_INVAL : __WASI_ERRNO_BADF;
  u8 ret[4];
  u32 r = (u32)(uintptr_t)ret;
  op(f->handle, r);
  return unit_result(r);
}

EXPORT("fd_datasync") u32 p1_fd_datasync(u32 fd) { return desc_sync(fd, d_sync_data); }

EXPORT("fd_sync") u32 p1_fd_sync(u32 fd) { return desc_sync(fd, d_sync); }

EXPORT("fd_prestat_get") u32 p1_fd_prestat_get(u32 fd, u32 out) {
  fdent *f = fd_get(fd);
  if (!f || f->dflags != 0xff) return __WASI_ERRNO_BADF;
  L8(out) = __WASI_PREOPENTYPE_DIR;
  L32(out + 4) = f->plen;
  return 0;
}

EXPORT("fd_prestat_dir_name") u32 p1_fd_prestat_dir_name(u32 fd, u32 path, u32 len) {
  fdent *f = fd_get(fd);
  if (!f || f->dflags != 0xff) return __WASI_ERRNO_BADF;
  if (len < f->plen) return __WASI_ERRNO_NAMETOOLONG;
  copy(path, f->pname, f->plen);
  return 0;
}

/* ------------------------------------------------------------ fd_readdir
 * Entries "." and ".." first (cookies 1 and 2), then the directory stream's (cookie n+2 is the
 * n-th of the stream, 1-based). Each dirent is {d_next u64, d_ino u64, d_namlen u32, d_type u8}
 * followed by the name; the last one is cut at the end of the buffer (preview1 semantics). */
static void put_dirent(u32 buf, u32 len, u32 *used, u64 next, u64 ino, u32 type, u32 name, u32 nlen) {
  __wasi_dirent_t d;
  d.d_next = next;
  d.d_ino = ino;
  d.d_namlen = nlen;
  d.d_type = (u8)type;
  u32 room = len - *used, k = sizeof d < room ? sizeof d : room;
  copy(buf + *used, (u32)(uintptr_t)&d, k);
  *used += k;
  room = len - *used;
  k = nlen < room ? nlen : room;
  copy(buf + *used, name, k);
  *used += k;
}

EXPORT("fd_readdir") u32 p1_fd_readdir(u32 fd, u32 buf, u32 len, u64 cookie, u32 bufused) {
  fdent *f = fd_get(fd);
  if (!f || f->kind != K_DESC) return f ? __WASI_ERRNO_NOTDIR : __WASI_ERRNO_BADF;
  u32 used = 0;
  u64 h[3];
  u32 hr = (u32)(uintptr_t)h;
  u64 self_ino = 0;
  d_metadata_hash(f->handle, hr);
  if (!L8(hr)) self_ino = L64(hr + 8);
  u8 dots[2] = {'.', '.'};
  u32 dp = (u32)(uintptr_t)dots;
  if (cookie == 0 && used < len) put_dirent(buf, len, &used, 1, self_ino, __WASI_FILETYPE_DIRECTORY, dp, 1);
  if (cookie <= 1 && used < len) put_dirent(buf, len, &used, 2, 0, __WASI_FILETYPE_DIRECTORY, dp, 2);
  if (used >= len) { L32(bufused) = used; return 0; }
  u64 want = cookie < 2 ? 2 : cookie; /* cookie of the stream entry read last */
  /* a listing from the start (cookie 0) reads the directory afresh: it may have changed */
  if (!f->dstream || f->dcookie != want || cookie == 0) {
    if (f->dstream) drop_dirstream(f->dstream);
    f->dstream = 0;
    /* read-directory -> result<own<directory-entry-stream>, error-code>: disc @0, @4 */
    u64 ret[1];
    u32 r = (u32)(uintptr_t)ret;
    d_read_directory(f->handle, r);
    if (L8(r)) return fs_errno(L8(r + 4));
    f->dstream = L32(r + 4);
    f->dcookie = 2;
    while (f->dcookie < want) { /* skip to the entry after `cookie` */
      { state *s_ = S(); s_->arena_next = s_->arena; }
      u64 er[3];
      u32 e = (u32)(uintptr_t)er;
      ds_read_entry(f->dstream, e);
      if (L8(e)) return fs_errno(L8(e + 4));
      if (!L8(e + 4)) { L32(bufused) = used; return 0; } /* past the end */
      f->dcookie++;
    }
  }
  while (used < len) {
    { state *s_ = S(); s_->arena_next = s_->arena; }
    /* read-directory-entry -> result<option<directory-entry>, error-code>: disc @0; option disc @4,
     * type @8, name ptr @12 len @16; error @4 */
    u64 ret[3];
    u32 r = (u32)(uintptr_t)ret;
    ds_read_entry(f->dstream, r);
    if (L8(r)) return fs_errno(L8(r + 4));
    if (!L8(r + 4)) { /* end of the directory */
      drop_dirstream(f->dstream);
      f->dstream = 0;
      break;
    }
    u32 np = L32(r + 12), nl = L32(r + 16);
    u64 ino = 0;
    d_metadata_hash_at(f->handle, 0, np, nl, hr);
    if (!L8(hr)) ino = L64(hr + 8);
    f->dcookie++;
    put_dirent(buf, len, &used, f->dcookie, ino, ftype_of(L8(r + 8)), np, nl);
  }
  L32(bufused) = used;
  return 0;
}

/* ------------------------------------------------------------ paths */
EXPORT("path_open")
u32 p1_path_open(u32 fd, u32 dirflags, u32 path, u32 plen, u32 oflags, u64 base, u64 inh, u32 fdflags, u32 out) {
  fdent *d = fd_get(fd);
  if (!d || d->kind != K_DESC) return d ? __WASI_ERRNO_NOTDIR : __WASI_ERRNO_BADF;
  state *s = S();
  u32 nfd = 3;
  while (nfd < MAXFD && s->fds[nfd].kind != K_FREE) nfd++;
  if (nfd == MAXFD) return __WASI_ERRNO_NFILE;
  u32 df = 0;
  if (base & (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR)) df |= 1;
  if (base & (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE)) df |= 2;
  if (fdflags & __WASI_FDFLAGS_SYNC) df |= 4;
  if (fdflags & __WASI_FDFLAGS_DSYNC) df |= 8;
  if (fdflags & __WASI_FDFLAGS_RSYNC) df |= 16;
  /* open-at(path-flags, path, open-flags, descriptor-flags) -> result<own<descriptor>, error-code>:
   * disc @0, handle / error @4; preview1 oflags and lookupflags have the WIT flags' bit order */
  u32 r = SCRATCH;
  d_open_at(d->handle, dirflags & 1, path, plen, oflags & 0xf, df, r);
  if (L8(r)) return fs_errno(L8(r + 4));
  fdent *f = &s->fds[nfd]; /* a free entry is all zero: fresh pages, and release() and fd_renumber
                            * clear what they free */
  f->kind = K_DESC;
  f->handle = L32(r + 4);
  f->fdflags = (uint16_t)(fdflags & (__WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK));
  f->dflags = (u8)(df & 3);
  /* the rights asked for are the fd's rights (witx path_open: fs_rights_base "the initial rights of
   * the newly created file descriptor") */
  f->rset = 1;
  f->rbase = base;
  f->rinh = inh;
  L32(out) = nfd;
  return 0;
}

#define DIR_OR_ERR(d, fd)                                                          \
  fdent *d = fd_get(fd);                                                           \
  if (!d || d->kind != K_DESC) return d ? __WASI_ERRNO_NOTDIR : __WASI_ERRNO_BADF;

/* create-directory-at, remove-directory-at and unlink-file-at: (descriptor, path) -> result<_, error-code> */
static u32 dir_path_op(u32 fd, u32 p, u32 n, void (*op)(u32 self, u32 p, u32 n, u32 ret)) {
  DIR_OR_ERR(d, fd);
  u8 ret[4];
  u32 r = (u32)(uintptr_t)ret;
  op(d->handle, p, n, r);
  return unit_result(r);
}

EXPORT("path_create_directory") u32 p1_path_create_directory(u32 fd, u32 p, u32 n) {
  return dir_path_op(fd, p, n, d_create_directory_at);
}

EXPORT("path_remove_directory") u32 p1_path_remove_directory(u32 fd, u32 p, u32 n) {
  return dir_path_op(fd, p, n, d_remove_directory_at);
}

EXPORT("path_unlink_file") u32 p1_path_unlink_file(u32 fd, u32 p, u32 n) {
  return dir_path_op(fd, p, n, d_unlink_file_at);
}

EXPORT("path_filestat_get") u32 p1_path_filestat_get(u32 fd, u32 flags, u32 p, u32 n, u32 out) {
  DIR_OR_ERR(d, fd);
  u64 ret[13], h[3];
  u32 r = (u32)(uintptr_t)ret, hr = (u32)(uintptr_t)h;
  d_stat_at(d->handle, flags & 1, p, n, r);
  if (L8(r)) return fs_errno(L8(r + 8));
  d_metadata_hash_at(d->handle, flags & 1, p, n, hr);
  fill_filestat(out, r + 8, L8(hr) ? 0 : L64(hr + 8));
  return 0;
}

EXPORT("path_filestat_set_times")
u32 p1_path_filestat_set_times(u32 fd, u32 flags, u32 p, u32 n, u64 at, u64 mt, u32 fl) {
  DIR_OR_ERR(d, fd);
  nts a, m;
  if (fl & ~0xfu || !new_ts(at, fl, __WASI_FSTFLAGS_ATIM, __WASI_FSTFLAGS_ATIM_NOW, &a) ||
      !new_ts(mt, fl, __WASI_FSTFLAGS_MTIM, __WASI_FSTFLAGS_MTIM_NOW, &m))
    return __WASI_ERRNO_INVAL;
  u8 ret[4];
  u32 r = (u32)(uintptr_t)ret;
  d_set_times_at(d->handle, flags & 1, p, n, a.tag, a.sec, a.ns, m.tag, m.sec, m.ns, r);
  return unit_result(r);
}

EXPORT("path_link") u32 p1_path_link(u32 ofd, u32 oflags, u32 op, u32 on, u32 nfd, u32 np, u32 nn) {
  DIR_OR_ERR(a, ofd);
  DIR_OR_ERR(b, nfd);
  u8 ret[4];
  u32 r = (u32)(uintptr_t)ret;
  d_link_at(a->handle, oflags & 1, op, on, b->handle, np, nn, r);
  return unit_result(r);
}

EXPORT("path_rename") u32 p1_path_rename(u32 ofd, u32 op, u32 on, u32 nfd, u32 np, u32 nn) {
  DIR_OR_ERR(a, ofd);
  DIR_OR_ERR(b, nfd);
  u8 ret[4];
  u32 r = (u32)(uintptr_t)ret;
  d_rename_at(a->handle, op, on, b->handle, np, nn, r);
  return unit_result(r);
}

EXPORT("path_symlink") u32 p1_path_symlink(u32 op, u32 on, u32 fd, u32 np, u32 nn) {
  DIR_OR_ERR(d, fd);
  u8 ret[4];
  u32 r = (u32)(uintptr_t)ret;
  d_symlink_at(d->handle, op, on, np, nn, r);
  return unit_result(r);
}

EXPORT("path_readlink") u32 p1_path_readlink(u32 fd, u32 p, u32 n, u32 buf, u32 len, u32 used) {
  DIR_OR_ERR(d, fd);
  /* readlink-at -> result<string, error-code>: disc @0, string @4 @8 / error @4 */
  u64 ret[2];
  u32 r = (u32)(uintptr_t)ret;
  d_readlink_at(d->handle, p, n, r);
  if (L8(r)) return fs_errno(L8(r + 4));
  u32 k = L32(r + 8);
  if (k > len) k = len;
  copy(buf, L32(r + 4), k);
  L32(used) = k;
  return 0;
}

/* ------------------------------------------------------------ poll_oneoff
 * Clock subscriptions become monotonic-clock pollables, fd_read on stdin and fd_write on
 * stdout/stderr the streams' pollables; subscriptions on files are ready at once (as on
 * POSIX), and so are subscriptions that fail (their event carries the error). With any event
 * ready at once nothing blocks; otherwise wasi:io/poll poll() waits for the first. */
EXPORT("poll_oneoff") u32 p1_poll_oneoff(u32 in, u32 out, u32 nsubs, u32 nevents) {
  state *s = enter();
  if (!nsubs) return __WASI_ERRNO_INVAL;
  u32 handles = cabi_import_realloc(0, 0, 4, nsubs * 4), which = cabi_import_realloc(0, 0, 4, nsubs * 4);
  u32 np = 0, nev = 0;
  for (u32 i = 0; i < nsubs; i++) {
    const __wasi_subscription_t *sub = PTR(in + i * sizeof(__wasi_subscription_t));
    __wasi_event_t ev;
    __builtin_memset(&ev, 0, sizeof ev);
    ev.userdata = sub->userdata;
    ev.type = sub->u.tag;
    u32 pollable = 0;
    if (sub->u.tag == __WASI_EVENTTYPE_CLOCK) {
      const __wasi_subscription_clock_t *c = &sub->u.u.clock;
      int abs = c->flags & __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
      if (c->id == __WASI_CLOCKID_MONOTONIC) {
        pollable = abs ? mono_subscribe_instant(c->timeout) : mono_subscribe_duration(c->timeout);
      } else if (c->id == __WASI_CLOCKID_REALTIME) {
        u64 d = c->timeout;
        if (abs) {
          u64 now = wall_ns(wall_now);
          d = c->timeout > now ? c->timeout - now : 0;
        }
        pollable = mono_subscribe_duration(d);
      } else {
        ev.error = __WASI_ERRNO_INVAL;
      }
    } else if (sub->u.tag == __WASI_EVENTTYPE_FD_READ || sub->u.tag == __WASI_EVENTTYPE_FD_WRITE) {
      u32 fd = sub->u.tag == __WASI_EVENTTYPE_FD_READ ? sub->u.u.fd_read.file_descriptor : sub->u.u.fd_write.file_descriptor;
      fdent *f = get_fd(s, fd);
      int rd = sub->u.tag == __WASI_EVENTTYPE_FD_READ;
      if (!f) ev.error = __WASI_ERRNO_BADF;
      else if (f->kind == K_STDIN && rd) pollable = in_subscribe(stdio_stream(f));
      else if ((f->kind == K_STDOUT || f->kind == K_STDERR) && !rd) pollable = out_subscribe(stdio_stream(f));
      else if (f->kind == K_DESC) {
        u64 sz = 0;
        if (rd && !desc_size(f, &sz)) ev.fd_readwrite.nbytes = sz > f->pos ? sz - f->pos : 0;
      } else ev.error = __WASI_ERRNO_BADF;
    } else {
      ev.error = __WASI_ERRNO_INVAL;
    }
    if (pollable) {
      L32(handles + 4 * np) = pollable;
      L32(which + 4 * np) = i;
      np++;
    } else {
      copy(out + nev * sizeof ev, (u32)(uintptr_t)&ev, sizeof ev);
      nev++;
    }
  }
  if (!nev && np) {
    /* poll(list<borrow<pollable>>) -> list<u32> (indexes of the ready ones) */
    u64 ret[1];
    u32 r = (u32)(uintptr_t)ret;
    io_poll(handles, np, r);
    u32 rp = L32(r), rn = L32(r + 4);
    for (u32 k = 0; k < rn; k++) {
      u32 j = L32(rp + 4 * k);
      if (j >= np) continue;
      const __wasi_subscription_t *sub = PTR(in + L32(which + 4 * j) * sizeof(__wasi_subscription_t));
      __wasi_event_t ev;
      __builtin_memset(&ev, 0, sizeof ev);
      ev.userdata = sub->userdata;
      ev.type = sub->u.tag;
      if (sub->u.tag == __WASI_EVENTTYPE_FD_READ) ev.fd_readwrite.nbytes = 1;
      if (sub->u.tag == __WASI_EVENTTYPE_FD_WRITE) {
        /* check-write -> result<u64, stream-error>: disc @0, u64 / error @8 */
        u64 cw[2];
        u32 cr = (u32)(uintptr_t)cw;
        fdent *f = get_fd(s, sub->u.u.fd_write.file_descriptor);
        out_check_write(stdio_stream(f), cr);
        if (L8(cr)) {
          (void)stream_errno(cr + 8, 0);
          ev.fd_readwrite.flags = __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP;
        } else ev.fd_readwrite.nbytes = L64(cr + 8);
      }
      copy(out + nev * sizeof ev, (u32)(uintptr_t)&ev, sizeof ev);
      nev++;
    }
  }
  for (u32 k = 0; k < np; k++) drop_pollable(L32(handles + 4 * k));
  L32(nevents) = nev;
  return 0;
}

/* ------------------------------------------------------------ sockets: none in preview1 over 0.2 here */
/* no fd here is a socket: BADF for a closed fd, NOTSOCK for any other */
static u32 no_sock(u32 fd) { return get_fd(enter(), fd) ? __WASI_ERRNO_NOTSOCK : __WASI_ERRNO_BADF; }
EXPORT("sock_accept") u32 p1_sock_accept(u32 fd, u32 flags, u32 out) { return no_sock(fd); }
EXPORT("sock_recv") u32 p1_sock_recv(u32 fd, u32 a, u32 b, u32 c, u32 d, u32 e) { return no_sock(fd); }
EXPORT("sock_send") u32 p1_sock_send(u32 fd, u32 a, u32 b, u32 c, u32 d) { return no_sock(fd); }
EXPORT("sock_shutdown") u32 p1_sock_shutdown(u32 fd, u32 how) { return no_sock(fd); }

/* ------------------------------------------------------------ wasi:cli/run */
#ifdef WK_COMMAND
/* run: func() -> result (flattened: i32, 0 = ok). A program that calls proc_exit does not
 * return here. */
EXPORT("wasi:cli/run@0.2.12#run") u32 run(void) {
  main_start();
  return 0;
}
#endif
