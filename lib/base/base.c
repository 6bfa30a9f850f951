#include <stdint.h>
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void wk_error_clear(wk_error *e) {
  if (e) memset(e, 0, sizeof *e);
}

static int verr(wk_error *e, int code, const char *fmt, va_list ap) {
  if (!e) return code;
  e->code = code;
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  return code;
}

int wk_error_set(wk_error *e, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (e) { e->has_offset = 0; e->line = e->col = 0; }
  verr(e, code, fmt, ap);
  va_end(ap);
  return code;
}

int wk_error_at(wk_error *e, int code, uint64_t offset, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (e) { e->has_offset = 1; e->offset = offset; e->line = e->col = 0; }
  verr(e, code, fmt, ap);
  va_end(ap);
  return code;
}

int wk_error_at_line(wk_error *e, int code, uint32_t line, uint32_t col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (e) { e->has_offset = 0; e->line = line; e->col = col; }
  verr(e, code, fmt, ap);
  va_end(ap);
  return code;
}

void wk_error_print(FILE *out, const char *tool, const char *file, const wk_error *e) {
  fprintf(out, "%s: error: ", tool);
  if (file) {
    fputs(file, out);
    if (e->has_offset) fprintf(out, ":0x%llx", (unsigned long long)e->offset);
    else if (e->line) fprintf(out, ":%u:%u", e->line, e->col);
    fputs(": ", out);
  }
  fprintf(out, "%s\n", e->msg[0] ? e->msg : "unknown error");
}

void *wk_calloc(size_t n, size_t size) { return calloc(n ? n : 1, size ? size : 1); }

void *wk_reallocarray(void *p, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) return NULL;
  size_t bytes = n * size;
  return realloc(p, bytes ? bytes : 1);
}

int wk_buf_reserve(wk_buf *b, size_t extra) {
  if (b->oom) return -1;
  if (extra > SIZE_MAX - b->len) { b->oom = 1; return -1; }
  size_t need = b->len + extra;
  if (need <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  uint8_t *d = realloc(b->data, cap);
  if (!d) { b->oom = 1; return -1; }
  b->data = d;
  b->cap = cap;
  return 0;
}

void wk_buf_append(wk_buf *b, const void *p, size_t n) {
  if (!n || wk_buf_reserve(b, n)) return;
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

void wk_buf_byte(wk_buf *b, uint8_t c) { wk_buf_append(b, &c, 1); }
void wk_buf_str(wk_buf *b, const char *s) { wk_buf_append(b, s, strlen(s)); }

void wk_buf_printf(wk_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || wk_buf_reserve(b, (size_t)n + 1)) return;
  va_start(ap, fmt);
  vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void wk_buf_uleb(wk_buf *b, uint64_t v) {
  do {
    uint8_t c = v & 0x7f;
    v >>= 7;
    if (v) c |= 0x80;
    wk_buf_byte(b, c);
  } while (v);
}

void wk_buf_sleb(wk_buf *b, int64_t v) {
  for (;;) {
    uint8_t c = v & 0x7f;
    v >>= 7; /* arithmetic shift: gcc/clang define it for signed types */
    int done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
    if (!done) c |= 0x80;
    wk_buf_byte(b, c);
    if (done) break;
  }
}

void wk_buf_free(wk_buf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

struct wk_arena_block {
  wk_arena_block *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
};

/* wk_arena_alloc without the clearing (for callers that write every byte) */
static inline __attribute__((always_inline)) void *arena_alloc_raw(wk_arena *a, size_t size) {
  if (size > SIZE_MAX - 15) return NULL;
  size = (size + 15) & ~(size_t)15;
  if (size == 0) size = 16;
  if (a->limit && (size > a->limit || a->total > a->limit - size)) {
    a->over = 1;
    return NULL;
  }
  a->total += size;
  wk_arena_block *h = a->head;
  if (!h || h->cap - h->used < size) {
    size_t cap = size > 65536 ? size : 65536;
    h = malloc(sizeof *h + cap);
    if (!h) return NULL;
    h->next = a->head;
    h->used = 0;
    h->cap = cap;
    a->head = h;
  }
  void *p = h->data + h->used;
  h->used += size;
  return p;
}

void *wk_arena_alloc(wk_arena *a, size_t size) {
  /* Small requests with no limit, when the current block has 64 bytes left: four fixed 16-byte
   * stores zero them (the bytes past the request are the block's unused rest, zeroed again
   * when handed out) rather than a memset call; most of a component's start-up allocations
   * are 16..64 bytes. */
  wk_arena_block *b = a->head;
  if (size <= 64 && b && !a->limit && b->cap - b->used >= 64) {
    size_t r = size ? (size + 15) & ~(size_t)15 : 16;
    unsigned char *p = b->data + b->used;
    memset(p, 0, 64);
    b->used += r;
    a->total += r;
    return p;
  }
  if (size > SIZE_MAX - 15) return NULL;
  size = size ? (size + 15) & ~(size_t)15 : 16; /* (as arena_alloc_raw rounds: all of it cleared) */
  void *p = arena_alloc_raw(a, size);
  if (p) memset(p, 0, size);
  return p;
}

void *wk_arena_alloc_uninit(wk_arena *a, size_t size) { return arena_alloc_raw(a, size); }

char *wk_arena_strndup(wk_arena *a, const char *s, size_t n) {
  char *p = arena_alloc_raw(a, n + 1); /* (every byte written: no clearing first) */
  if (p) { memcpy(p, s, n); p[n] = 0; }
  return p;
}

void wk_arena_free(wk_arena *a) {
  wk_arena_block *h = a->head;
  while (h) {
    wk_arena_block *n = h->next;
    free(h);
    h = n;
  }
  a->head = NULL;
  a->total = 0;
  a->over = 0; /* the limit stays */
}

int wk_read_file(const char *path, uint8_t **data, size_t *len, wk_error *err) {
  *data = NULL;
  *len = 0;
  int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return wk_error_set(err, WK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (fd != STDIN_FILENO) close(fd);
    return wk_error_set(err, WK_ERR_IO, "%s is a directory", path);
  }
  wk_buf b = {0};
  if (fd != STDIN_FILENO && S_ISREG(st.st_mode)) wk_buf_reserve(&b, (size_t)st.st_size + 1);
  for (;;) {
    if (wk_buf_reserve(&b, 65536)) break;
    ssize_t n = read(fd, b.data + b.len, b.cap - b.len - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      if (fd != STDIN_FILENO) close(fd);
      wk_buf_free(&b);
      return wk_error_set(err, WK_ERR_IO, "cannot read %s: %s", path, strerror(e));
    }
    if (n == 0) break;
    b.len += (size_t)n;
  }
  if (fd != STDIN_FILENO) close(fd);
  if (b.oom) {
    wk_buf_free(&b);
    return wk_error_set(err, WK_ERR_NOMEM, "out of memory reading %s", path);
  }
  if (!b.data) wk_buf_reserve(&b, 1);
  b.data[b.len] = 0;
  *data = b.data;
  *len = b.len;
  return WK_OK;
}

static int write_all(int fd, const void *data, size_t len) {
  const uint8_t *p = data;
  while (len) {
    ssize_t n = write(fd, p, len > (1u << 30) ? (1u << 30) : len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int wk_write_parts_atomic(const char *path, const void *a, size_t alen, const void *b, size_t blen, int mode,
                          wk_error *err) {
  if (strcmp(path, "-") == 0) {
    if (write_all(STDOUT_FILENO, a, alen) || write_all(STDOUT_FILENO, b, blen))
      return wk_error_set(err, WK_ERR_IO, "cannot write to stdout: %s", strerror(errno));
    return WK_OK;
  }
  size_t pl = strlen(path);
  char *tmp = malloc(pl + 32);
  if (!tmp) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  snprintf(tmp, pl + 32, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp); /* created with mode 0600: nothing is readable by others before the fchmod */
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return wk_error_set(err, WK_ERR_IO, "cannot create %s: %s", path, strerror(e));
  }
  int bad = write_all(fd, a, alen) || write_all(fd, b, blen) || fchmod(fd, (mode_t)mode);
  int e = errno;
  if (close(fd) && !bad) { bad = 1; e = errno; }
  if (!bad && rename(tmp, path)) { bad = 1; e = errno; }
  if (bad) unlink(tmp);
  free(tmp);
  return bad ? wk_error_set(err, WK_ERR_IO, "cannot write %s: %s", path, strerror(e)) : WK_OK;
}

int wk_mkdir_p(const char *dir, unsigned mode) {
  char buf[4096];
  size_t n = strlen(dir);
  if (n >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(buf, dir, n + 1);
  for (char *s = buf + 1; *s; s++) {
    if (*s != '/') continue;
    *s = 0;
    if (mkdir(buf, (mode_t)mode) && errno != EEXIST) return -1;
    *s = '/';
  }
  return (mkdir(buf, (mode_t)mode) && errno != EEXIST) ? -1 : 0;
}

int wk_write_file_atomic(const char *path, const void *data, size_t len, wk_error *err) {
  return wk_write_parts_atomic(path, data, len, NULL, 0, 0644, err);
}

/* Option values (base.h). */
/* "4MiB", "512K", "1G", "65536" -> bytes. K/M/G and KiB/MiB/GiB are binary,
 * KB/MB/GB decimal. Returns 0 on success. */
int wk_parse_size(const char *s, uint64_t *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || errno || v < 0 || isnan(v)) return -1;
  double mul = 1;
  if (!*end || !strcmp(end, "B")) mul = 1;
  else if (!strcmp(end, "K") || !strcmp(end, "k") || !strcmp(end, "KiB")) mul = 1024.0;
  else if (!strcmp(end, "M") || !strcmp(end, "MiB")) mul = 1024.0 * 1024;
  else if (!strcmp(end, "G") || !strcmp(end, "GiB")) mul = 1024.0 * 1024 * 1024;
  else if (!strcmp(end, "KB") || !strcmp(end, "kB")) mul = 1e3;
  else if (!strcmp(end, "MB")) mul = 1e6;
  else if (!strcmp(end, "GB")) mul = 1e9;
  else return -1;
  v *= mul;
  if (v > 1.8e19) return -1;
  *out = (uint64_t)v;
  return 0;
}

/* "50ms", "2s", "1.5s", "1m", "100us", "3" (seconds) -> nanoseconds. */
int wk_parse_duration(const char *s, uint64_t *ns) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || errno || v < 0 || isnan(v)) return -1;
  double mul;
  if (!*end || !strcmp(end, "s")) mul = 1e9;
  else if (!strcmp(end, "ms")) mul = 1e6;
  else if (!strcmp(end, "us")) mul = 1e3;
  else if (!strcmp(end, "ns")) mul = 1;
  else if (!strcmp(end, "m")) mul = 60e9;
  else if (!strcmp(end, "h")) mul = 3600e9;
  else return -1;
  v *= mul;
  if (v > 1.8e19) return -1;
  *ns = (uint64_t)v;
  return 0;
}

