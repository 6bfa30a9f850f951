/*
 * libFuzzer target: the canonical ABI at run time (lib/canonabi value.h).
 * Input: a type description (one byte per node, bounded depth and list
 * nesting), option bytes (pointer size, string encoding), then up to 512
 * bytes of guest memory and a handle table built from the same bytes.
 *   wk_cabi_load at 0 must succeed or fail with WK_ERR_TRAP (never crash,
 *   never another code); a value that loads is stored into a second memory
 *   (bump realloc) and loaded back, and must be equal (wk_cval_equal); it is
 *   also printed as WAVE (unless it holds handles) and must parse back equal.
 *   Flat lifting of the same type over flat values taken from the input must
 *   also only succeed or trap, lowering a value that lifted must succeed (or
 *   trap: guest memory exhausted), and the lowered flat values must lift back
 *   to the same value and lower again to the same flat values
 *   (lower(lift(x)) = x, issue 10).
 * At exit it prints how many inputs reached each round trip ("fuzz_cabi round
 * trips: ..."; suite-fuzz.sh shows the line), so a run that never gets there shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonabi/value.h"
#include "fuzz_check.h"

typedef struct cur {
  const uint8_t *p;
  size_t n, i;
} cur;

static uint8_t byte(cur *c) { return c->i < c->n ? c->p[c->i++] : 0; }

typedef struct heap {
  uint8_t *mem;
  size_t len;
  uint32_t next;
} heap;

static uint8_t *h_memory(void *env, size_t *len) {
  heap *h = env;
  *len = h->len;
  return h->mem;
}

static int h_realloc(void *env, uint32_t old, uint32_t old_size, uint32_t align, uint32_t new_size, uint32_t *ptr,
                     wk_error *err) {
  heap *h = env;
  uint64_t p = ((uint64_t)h->next + align - 1) / align * align;
  if (p + new_size > h->len) return wk_error_set(err, WK_ERR_TRAP, "out of guest memory");
  uint32_t n = old_size < new_size ? old_size : new_size;
  /* a block at address 0 is a real block: old_size, not old, says whether there is one to move
   * (a string lowered at 0 then shrunk by realloc(0, worst_case, align, size) keeps its bytes) */
  if (n && (uint64_t)old + n <= h->len) memmove(h->mem + p, h->mem + old, n);
  h->next = (uint32_t)(p + new_size);
  *ptr = (uint32_t)p;
  return WK_OK;
}

static unsigned long n_mem, n_flat, n_flat_bits;

static void report(void) {
  fprintf(stderr, "fuzz_cabi round trips: %lu memory (load, store, load), %lu flat (lift, lower, lift), "
                  "%lu of them lowered again bit for bit\n", n_mem, n_flat, n_flat_bits);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  atexit(report);
  return 0;
}

static const char *const LABELS[] = {"a", "b-c", "none", "ok", "x1", "Y", "some", "err", "z-z-z"};
static wk_cabi_instance other;
static wk_cabi_rtype rts[2];

/* A type from the input; *has_handles set when it holds own/borrow; lists limit nesting. */
static wk_cabi_type *gen(cur *c, wk_arena *a, unsigned depth, unsigned lists, wk_cabi_names **names, int *has_handles) {
  wk_cabi_type *t = wk_arena_alloc(a, sizeof *t);
  wk_cabi_names *n = wk_arena_alloc(a, sizeof *n);
  *names = n;
  uint8_t b = byte(c);
  unsigned k = b % 24;
  if (depth >= 4) k %= 13;
  if (k < 13) { t->kind = (wk_cabi_kind)(WK_CABI_BOOL + k); return t; }
  const wk_cabi_type **kids = wk_arena_alloc(a, sizeof *kids * 4);
  const wk_cabi_names **nk = wk_arena_alloc(a, sizeof *nk * 4);
  const char **labels = wk_arena_alloc(a, sizeof *labels * 40);
  t->children = kids;
  n->children = nk;
  n->labels = labels;
  uint32_t cnt = 1 + (b >> 5) % 4;
  wk_cabi_names *cn;
  switch (k) {
  case 13:
  case 14:
    t->kind = WK_CABI_LIST;
    if (k == 14 || lists >= 2) t->length = 1 + byte(c) % 3;
    kids[0] = gen(c, a, depth + 1, lists + (t->length == 0), &cn, has_handles);
    nk[0] = cn;
    return t;
  case 15:
  case 16:
  case 17:
    t->kind = k == 15 ? WK_CABI_RECORD : k == 16 ? WK_CABI_TUPLE : WK_CABI_VARIANT;
    t->n = cnt;
    for (uint32_t i = 0; i < cnt; i++) {
      if (k == 17 && (byte(c) & 1)) { kids[i] = NULL; nk[i] = NULL; continue; }
      kids[i] = gen(c, a, depth + 1, lists, &cn, has_handles);
      nk[i] = cn;
    }
    /* distinct labels; cases 2 and 3 are the keywords `none` and `ok` */
    for (uint32_t i = 0; i < cnt; i++) labels[i] = LABELS[i];
    return t;
  case 18:
    t->kind = WK_CABI_ENUM;
    t->n = 1 + byte(c) % 9;
    if (b & 0x80) t->n = 257; /* a 2-byte discriminant */
    for (uint32_t i = 0; i < t->n && i < 9; i++) labels[i] = LABELS[i];
    if (t->n > 9) n->labels = NULL;
    return t;
  case 19:
    t->kind = WK_CABI_FLAGS;
    t->n = 1 + byte(c) % 9;
    for (uint32_t i = 0; i < t->n; i++) labels[i] = LABELS[i];
    return t;
  case 20:
    t->kind = WK_CABI_OPTION;
    kids[0] = gen(c, a, depth + 1, lists, &cn, has_handles);
    nk[0] = cn;
    return t;
  case 21:
    t->kind = WK_CABI_RESULT;
    for (int i = 0; i < 2; i++) {
      kids[i] = (byte(c) & 3) ? gen(c, a, depth + 1, lists, &cn, has_handles) : NULL;
      nk[i] = kids[i] ? cn : NULL;
    }
    return t;
  case 22:
    t->kind = lists >= 2 ? WK_CABI_TUPLE : WK_CABI_MAP;
    t->n = 2;
    kids[0] = gen(c, a, depth + 1, lists + 1, &cn, has_handles);
    nk[0] = cn;
    kids[1] = gen(c, a, depth + 1, lists + 1, &cn, has_handles);
    nk[1] = cn;
    return t;
  default:
    t->kind = (b & 0x20) ? WK_CABI_OWN : WK_CABI_BORROW;
    t->resource = &rts[(b >> 6) & 1];
    *has_handles = 1;
    return t;
  }
}

static void setup_table(wk_cabi_instance *inst, cur *c) {
  wk_error e;
  for (int i = 0; i < 4; i++) {
    uint8_t b = byte(c);
    uint32_t h;
    CHECK(wk_cabi_resource_new(inst, &rts[b & 1], b, &h, &e) == WK_OK, "resource.new: %s", e.msg);
    inst->handles[h].own = (b >> 1) & 1;
    inst->handles[h].num_lends = (b >> 2) & 1;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cur c = {data, size, 0};
  wk_arena a = {0};
  int has_handles = 0;
  wk_cabi_names *names;
  wk_cabi_type *t = gen(&c, &a, 0, 0, &names, &has_handles);
  uint8_t opt = byte(&c);
  wk_cabi_instance inst;
  wk_cabi_instance_init(&inst);
  wk_cabi_instance_init(&other);
  /* neither resource is implemented by `inst`: lower_borrow then makes handles (for our own
   * resources it passes the rep, which does not load back as a handle index) */
  rts[0].impl = &other;
  rts[1].impl = NULL;
  setup_table(&inst, &c);
  wk_cabi_call call;
  wk_cabi_call_init(&call, &inst);

  static uint8_t mem1[512], mem2[1 << 20];
  size_t mlen = size - c.i < sizeof mem1 ? size - c.i : sizeof mem1;
  memset(mem1, 0, sizeof mem1);
  memcpy(mem1, data + c.i, mlen);
  heap h1 = {mem1, sizeof mem1, 256}, h2 = {mem2, sizeof mem2, 0};
  wk_cabi_cx cx = {0};
  cx.opts.ptr_size = (opt & 1) ? 8 : 4;
  cx.opts.string_encoding = (wk_cabi_string_encoding)((opt >> 1) % 3);
  cx.memory = h_memory;
  cx.realloc = h_realloc;
  cx.env = &h1;
  cx.inst = &inst;
  cx.borrow_scope = &call;

  wk_error e;
  wk_cval v;
  wk_cabi_layout l;
  int rc = wk_cabi_layout_of(t, cx.opts.ptr_size, &l, &e);
  if (rc != WK_OK || l.size > sizeof mem1) goto out;
  rc = wk_cabi_load(&cx, t, 0, &a, &v, &e);
  CHECK(rc == WK_OK || rc == WK_ERR_TRAP || rc == WK_ERR_NOMEM, "load: unexpected code %d: %s", rc, e.msg);
  if (rc == WK_OK) {
    /* store into a fresh memory, then load back */
    memset(mem2, 0, 4096);
    h2.next = (l.size + 15) & ~15u;
    cx.env = &h2;
    rc = wk_cabi_store(&cx, t, &v, 0, &e);
    CHECK(rc == WK_OK || rc == WK_ERR_TRAP, "store of a loaded value: %d: %s", rc, e.msg);
    if (rc == WK_OK) {
      wk_cval w;
      wk_cabi_call_finish(&call, &e); /* release lends taken by the first load */
      call.num_borrows = 0;
      rc = wk_cabi_load(&cx, t, 0, &a, &w, &e);
      CHECK(rc == WK_OK, "load of a stored value: %d: %s", rc, e.msg);
      CHECK(wk_cval_equal(&v, &w, t), "store then load gives another value");
      n_mem++;
    }
    if (!has_handles) {
      wk_buf b = {0};
      rc = wk_cval_print_wave(&v, t, names, &b, &e);
      CHECK(rc == WK_OK || rc == WK_ERR_USAGE, "WAVE print: %d: %s", rc, e.msg);
      if (rc == WK_OK) {
        wk_cval w;
        rc = wk_cval_parse_wave((const char *)b.data, b.len, t, names, &a, &w, &e);
        CHECK(rc == WK_OK, "printed WAVE does not parse: %s at %llu\n%.*s", e.msg, (unsigned long long)e.offset,
              (int)(b.len > 2000 ? 2000 : b.len), (const char *)b.data);
        CHECK(wk_cval_equal(&v, &w, t), "WAVE round trip changed the value\n%.*s", (int)(b.len > 2000 ? 2000 : b.len),
              (const char *)b.data);
      }
      wk_buf_free(&b);
    }
    cx.env = &h1;
  }
  /* flat lifting over values from the input bytes */
  {
    const wk_cabi_type *ts[1] = {t};
    uint32_t nf = 0;
    wk_cabi_core ft[WK_CABI_SIG_MAX];
    if (wk_cabi_flatten(t, cx.opts.ptr_size, ft, WK_CABI_SIG_MAX, &nf, &e) == WK_OK && nf <= WK_CABI_MAX_FLAT_PARAMS) {
      wk_cabi_flat flat[WK_CABI_SIG_MAX];
      for (uint32_t i = 0; i < nf; i++) {
        flat[i].type = ft[i];
        flat[i].bits = 0;
        for (int k = 0; k < 8; k++) flat[i].bits |= (uint64_t)mem1[(i * 8 + k) % sizeof mem1] << (8 * k);
        if (ft[i] == WK_CABI_CORE_I32 || ft[i] == WK_CABI_CORE_F32) flat[i].bits &= 0xffffffffu;
        if (flat[i].bits & 1) flat[i].bits &= 0xff; /* small values reach valid pointers and cases */
      }
      wk_cval fv;
      rc = wk_cabi_lift_values(&cx, ts, 1, WK_CABI_MAX_FLAT_PARAMS, flat, nf, &a, &fv, &e);
      CHECK(rc == WK_OK || rc == WK_ERR_TRAP || rc == WK_ERR_NOMEM, "lift_values: %d: %s", rc, e.msg);
      if (rc == WK_OK) {
        wk_cabi_flat back[WK_CABI_SIG_MAX];
        uint32_t nb = 0;
        cx.env = &h2;
        h2.next = 0;
        rc = wk_cabi_lower_values(&cx, ts, 1, WK_CABI_MAX_FLAT_PARAMS, &fv, 0, 0, back, &nb, &e);
        CHECK(rc == WK_OK || rc == WK_ERR_TRAP, "lower_values of a lifted value: %d: %s", rc, e.msg);
        if (rc == WK_OK) {
          CHECK(nb == nf, "lowered %u flat values, type has %u", nb, nf);
          /* lower(lift(x)) = x: the lowered flat values (over what lowering wrote into h2) lift
           * back to the same value; lowering that again at the same heap position gives the same
           * flat values, bit for bit (canonical flat form: bool 0/1, canonical NaNs, zero-extended
           * joined variant slots, the same pointers). Handles are excluded from the second part:
           * each lowering of an own/borrow makes a new table entry, hence a new index. */
          wk_cval fv2;
          rc = wk_cabi_lift_values(&cx, ts, 1, WK_CABI_MAX_FLAT_PARAMS, back, nb, &a, &fv2, &e);
          CHECK(rc == WK_OK, "lift of lowered flat values: %d: %s", rc, e.msg);
          CHECK(wk_cval_equal(&fv, &fv2, t), "flat lift -> lower -> lift changed the value");
          n_flat++;
          if (!has_handles) {
            wk_cabi_flat back2[WK_CABI_SIG_MAX];
            uint32_t nb2 = 0;
            h2.next = 0;
            rc = wk_cabi_lower_values(&cx, ts, 1, WK_CABI_MAX_FLAT_PARAMS, &fv2, 0, 0, back2, &nb2, &e);
            CHECK(rc == WK_OK, "second lowering: %d: %s", rc, e.msg);
            CHECK(nb2 == nb, "second lowering gave %u flat values, first %u", nb2, nb);
            for (uint32_t i = 0; i < nb; i++)
              CHECK(back2[i].type == back[i].type && back2[i].bits == back[i].bits,
                    "flat value %u: lowered %llx then %llx", i, (unsigned long long)back[i].bits,
                    (unsigned long long)back2[i].bits);
            n_flat_bits++;
          }
        }
      }
    }
  }
out:
  wk_cabi_call_finish(&call, &e);
  wk_cabi_instance_free(&inst);
  wk_cabi_instance_free(&other);
  wk_arena_free(&a);
  return 0;
}
