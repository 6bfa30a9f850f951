/*
 * lib/base — the small shared layer every wkit library and tool uses:
 * error values (code + message + location), growable byte buffers, an
 * arena allocator, and whole-file I/O with atomic (temp + rename) writes.
 *
 * Libraries never print or exit: they fill a wk_error and return its code.
 * Tools print errors with wk_error_print() in the form
 *     tool: error: FILE:OFFSET: message      (binary input)
 *     tool: error: FILE:LINE:COL: message    (text input)
 */
#ifndef WK_BASE_H
#define WK_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WK_VERSION "0.1.0"

/* The n (0..7) bytes at b as one word, by at most two overlapping loads: every byte of them is
 * in it, each in a byte lane of its own (so a test of bit 7 of every lane sees them all), and
 * with n mixed in, distinct tails give distinct words. For word-at-a-time hashing and checks
 * of short strings; b may be NULL when n is 0. */
static inline uint64_t wk_tail_word(const uint8_t *b, size_t n) {
  if (n >= 4) {
    uint32_t lo, hi;
    memcpy(&lo, b, 4);
    memcpy(&hi, b + n - 4, 4);
    return lo | (uint64_t)hi << 32;
  }
  return n ? (uint64_t)b[0] | (uint64_t)b[n / 2] << 8 | (uint64_t)b[n - 1] << 16 : 0;
}

/* Error codes shared by all libraries. 0 is success. */
enum wk_errcode {
  WK_OK = 0,
  WK_ERR_MALFORMED,   /* bytes/text do not follow the format (spec: "malformed") */
  WK_ERR_INVALID,     /* well-formed but fails validation (spec: "invalid") */
  WK_ERR_IO,          /* file system / OS error */
  WK_ERR_NOMEM,       /* allocation failed or a size limit was hit */
  WK_ERR_UNSUPPORTED, /* a feature wkit does not implement (yet) */
  WK_ERR_LINK,        /* import could not be resolved (spec: "unlinkable") */
  WK_ERR_TRAP,        /* execution trapped */
  WK_ERR_USAGE,       /* bad arguments to an API or tool */
  WK_ERR_VERIFY,      /* a signature or check did not verify */
};

/*
 * An error value. `offset` is a byte offset (valid when has_offset), `line`
 * and `col` are 1-based text positions (0 when unknown). `msg` is one line,
 * without the location and without a trailing newline.
 */
typedef struct wk_error {
  int code;
  int has_offset;
  uint64_t offset;
  uint32_t line, col;
  char msg[512];
} wk_error;

/* Reset to "no error". */
void wk_error_clear(wk_error *e);
/* Set code and printf-style message (no location). Returns `code`. NULL e is allowed. */
int wk_error_set(wk_error *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Same with a byte offset. Returns `code`. */
int wk_error_at(wk_error *e, int code, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same with a 1-based line:col. Returns `code`. */
int wk_error_at_line(wk_error *e, int code, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Print "tool: error: file:LOC: msg\n" to `out`; `file` may be NULL. */
void wk_error_print(FILE *out, const char *tool, const char *file, const wk_error *e);

/* Allocation helpers: abort-free; they return NULL on failure like malloc. */
void *wk_calloc(size_t n, size_t size);
void *wk_reallocarray(void *p, size_t n, size_t size);

/* Growable byte buffer. Zero-initialize to start. Owns `data`. */
typedef struct wk_buf {
  uint8_t *data;
  size_t len, cap;
  int oom; /* set once an allocation failed; further appends are no-ops */
} wk_buf;

int wk_buf_reserve(wk_buf *b, size_t extra); /* 0 on success, -1 on OOM */
void wk_buf_append(wk_buf *b, const void *p, size_t n);
void wk_buf_byte(wk_buf *b, uint8_t c);
void wk_buf_str(wk_buf *b, const char *s);
void wk_buf_printf(wk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wk_buf_uleb(wk_buf *b, uint64_t v);  /* unsigned LEB128 (Core spec 5.2.2) */
void wk_buf_sleb(wk_buf *b, int64_t v);   /* signed LEB128 */
void wk_buf_free(wk_buf *b);

/* Arena: many allocations, one free. Zero-initialize to start.
 * `limit` (0 = none) caps the bytes handed out (`total`, each request
 * rounded up to 16): a request past it returns NULL and sets `over`, so a
 * caller can tell a budget from a failed malloc. */
typedef struct wk_arena_block wk_arena_block;
typedef struct wk_arena {
  wk_arena_block *head;
  size_t limit, total;
  int over;
} wk_arena;
/* Returns `size` zeroed bytes aligned to 16, or NULL on OOM or past `limit`. */
void *wk_arena_alloc(wk_arena *a, size_t size);
/* wk_arena_alloc without the clearing: `size` bytes of unspecified content, aligned to 16, for
 * callers that write every byte they later read (clearing large arrays that are then filled
 * element by element was most of the allocation cost of decoding a component). */
void *wk_arena_alloc_uninit(wk_arena *a, size_t size);
/* A copy of the `n` bytes at `s` (which may hold NULs) plus a terminating NUL, aligned to 16
 * (counted against `limit` as n + 1 rounded up to 16); NULL on OOM or past `limit`. Only those
 * n + 1 bytes are written: the padding after the NUL is not cleared. */
char *wk_arena_strndup(wk_arena *a, const char *s, size_t n);
/* Frees every block (all the arena's pointers become invalid) and resets `total` and `over`;
 * `limit` stays, so the arena can be used again. */
void wk_arena_free(wk_arena *a);

/*
 * Read a whole file ("-" = stdin) into a malloc'd buffer (*data, *len); the
 * buffer has one extra NUL byte past *len. Returns WK_OK or WK_ERR_IO.
 */
int wk_read_file(const char *path, uint8_t **data, size_t *len, wk_error *err);
/*
 * Write `len` bytes to `path` atomically: a temp file in the same directory,
 * fsync'd... then rename(2) over `path`. "-" writes to stdout. On failure
 * nothing is left at `path` (nor the temp file). Returns WK_OK or WK_ERR_IO.
 */
int wk_write_file_atomic(const char *path, const void *data, size_t len, wk_error *err);
/* The same for the concatenation a || b (either may be NULL with length 0), created with file mode
 * `mode` (e.g. 0600 for a private key: the temp file is never readable by others). */
int wk_write_parts_atomic(const char *path, const void *a, size_t alen, const void *b, size_t blen, int mode,
                          wk_error *err);

/* Create directory `dir` and its missing parents (mkdir -p) with `mode` (less the umask); an
 * existing directory is fine. 0 on success, -1 with errno set (ENAMETOOLONG past PATH_MAX). */
int wk_mkdir_p(const char *dir, unsigned mode);

/* Option values shared by the tools, 0 on success or -1:
 * sizes "64MiB", "512K", "1G", "4096" -> bytes (K/M/G and KiB/MiB/GiB binary, KB/MB/GB decimal);
 * durations "50ms", "2s", "1.5s", "1m", "100us", "3" (seconds) -> nanoseconds. */
int wk_parse_size(const char *s, uint64_t *out);
int wk_parse_duration(const char *s, uint64_t *ns);

#endif
