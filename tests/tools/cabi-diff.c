/*
 * cabi-diff — the C side of the canonical-ABI differential test
 * (tests/canonabi/diff.py runs component-model definitions.py on the same cases).
 *
 * Reads one JSON case per line on stdin, writes one JSON result per line on
 * stdout. A case:
 *   {"op": "load"|"store"|"lift"|"lower", "ps": 4|8, "enc": 0|1|2,
 *    "types": [T...], "vals": [V...], "mem": "hex", "ptr": N,
 *    "flat": [[core, "bits"]...], "max_flat": N, "out_ptr": N|null,
 *    "heap": N, "bad": N, "badkind": 0|1,
 *    "handles": [null | [rt, rep, own, num_lends]...] (index 1..), "free": [idx...]}
 * T: ["bool"] ... ["string"], ["list", T], ["list", T, N], ["record", [T..]], ["tuple", [T..]],
 *    ["variant", [T|null..]], ["enum", n], ["option", T], ["result", T|null, T|null], ["flags", n],
 *    ["own", r], ["borrow", r], ["map", K, V]   (r: 0 = a resource implemented by this
 *    instance, 1 = by another one)
 * V: true/false, integers and float bits as decimal strings, char code points, strings as hex
 *    UTF-8, arrays for list/record/tuple/map entries, [case, payload|null] for variant-likes,
 *    flags as an integer, handles as the rep.
 * A result: {"status": "ok"|"trap"|"error", "msg": "...", "vals": [...], "flat": [...],
 *    "mem": "hex", "handles": [...], "num_borrows": N, "lenders": [...]}.
 * The guest realloc is a bump allocator from "heap"; call number "bad" (0-based) returns a
 * misaligned (badkind 0) or out-of-bounds (badkind 1) pointer. The Python side models the same.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "canonabi/value.h"

typedef struct heap {
  uint8_t *mem;
  size_t len;
  uint64_t next;
  int calls, bad, badkind;
} heap;

static uint8_t *h_memory(void *env, size_t *len) {
  heap *h = env;
  *len = h->len;
  return h->mem;
}

static int h_realloc(void *env, uint32_t old, uint32_t old_size, uint32_t align, uint32_t new_size, uint32_t *ptr,
                     wk_error *err) {
  heap *h = env;
  uint64_t a = align ? align : 1;
  uint64_t p = (h->next + a - 1) / a * a;
  h->next = p + new_size;
  uint64_t n = old_size < new_size ? old_size : new_size;
  /* old_size, not old, says whether a block moves: a block at address 0 is a real one */
  if (n && p + n <= h->len && (uint64_t)old + n <= h->len) memmove(h->mem + p, h->mem + old, n);
  int call = h->calls++;
  if (call == h->bad) p = h->badkind == 0 ? p + 1 : h->len + 8;
  *ptr = (uint32_t)p;
  return WK_OK;
}

static wk_cabi_rtype rts[2];
static wk_cabi_instance other;

static const char *KINDS[] = {"bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char",
                              "string"};

static wk_cabi_type *mk_type(wk_arena *a, const cJSON *j) {
  const char *k = cJSON_GetArrayItem(j, 0)->valuestring;
  wk_cabi_type *t = wk_arena_alloc(a, sizeof *t);
  for (int i = 0; i < 13; i++)
    if (!strcmp(k, KINDS[i])) { t->kind = (wk_cabi_kind)(WK_CABI_BOOL + i); return t; }
  const cJSON *a1 = cJSON_GetArrayItem(j, 1), *a2 = cJSON_GetArrayItem(j, 2);
  const wk_cabi_type **kids;
  if (!strcmp(k, "list")) {
    t->kind = WK_CABI_LIST;
    kids = wk_arena_alloc(a, sizeof *kids);
    kids[0] = mk_type(a, a1);
    t->length = a2 ? (uint32_t)a2->valuedouble : 0;
  } else if (!strcmp(k, "record") || !strcmp(k, "tuple") || !strcmp(k, "variant")) {
    t->kind = k[0] == 'r' ? WK_CABI_RECORD : k[0] == 't' ? WK_CABI_TUPLE : WK_CABI_VARIANT;
    t->n = (uint32_t)cJSON_GetArraySize(a1);
    kids = wk_arena_alloc(a, sizeof *kids * (t->n + 1));
    for (uint32_t i = 0; i < t->n; i++) {
      const cJSON *c = cJSON_GetArrayItem(a1, (int)i);
      kids[i] = cJSON_IsNull(c) ? NULL : mk_type(a, c);
    }
  } else if (!strcmp(k, "enum") || !strcmp(k, "flags")) {
    t->kind = k[0] == 'e' ? WK_CABI_ENUM : WK_CABI_FLAGS;
    t->n = (uint32_t)a1->valuedouble;
    return t;
  } else if (!strcmp(k, "option")) {
    t->kind = WK_CABI_OPTION;
    kids = wk_arena_alloc(a, sizeof *kids);
    kids[0] = mk_type(a, a1);
  } else if (!strcmp(k, "result") || !strcmp(k, "map")) {
    t->kind = k[0] == 'r' ? WK_CABI_RESULT : WK_CABI_MAP;
    kids = wk_arena_alloc(a, sizeof *kids * 2);
    kids[0] = cJSON_IsNull(a1) ? NULL : mk_type(a, a1);
    kids[1] = cJSON_IsNull(a2) ? NULL : mk_type(a, a2);
  } else {
    t->kind = !strcmp(k, "own") ? WK_CABI_OWN : WK_CABI_BORROW;
    t->resource = &rts[(int)a1->valuedouble];
    return t;
  }
  t->children = kids;
  return t;
}

static uint64_t num(const cJSON *j) {
  if (cJSON_IsString(j)) return strtoull(j->valuestring, NULL, 10);
  return (uint64_t)j->valuedouble;
}

static int64_t snum(const cJSON *j) {
  if (cJSON_IsString(j)) return strtoll(j->valuestring, NULL, 10);
  return (int64_t)j->valuedouble;
}

static int hexval(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

static uint8_t *unhex(wk_arena *a, const char *s, size_t *n) {
  size_t l = strlen(s) / 2;
  uint8_t *b = wk_arena_alloc(a, l + 1);
  for (size_t i = 0; i < l; i++) b[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
  *n = l;
  return b;
}

static void mk_val(wk_arena *a, const wk_cabi_type *t, const cJSON *j, wk_cval *v) {
  memset(v, 0, sizeof *v);
  v->kind = t->kind;
  switch (t->kind) {
  case WK_CABI_BOOL: v->of.b = cJSON_IsTrue(j); return;
  case WK_CABI_S8: case WK_CABI_S16: case WK_CABI_S32: case WK_CABI_S64: v->of.s = snum(j); return;
  case WK_CABI_U8: case WK_CABI_U16: case WK_CABI_U32: case WK_CABI_U64: v->of.u = num(j); return;
  case WK_CABI_F32: { uint32_t b = (uint32_t)num(j); memcpy(&v->of.f32, &b, 4); return; }
  case WK_CABI_F64: { uint64_t b = num(j); memcpy(&v->of.f64, &b, 8); return; }
  case WK_CABI_CHAR: v->of.ch = (uint32_t)num(j); return;
  case WK_CABI_STRING: {
    size_t n;
    v->of.str.ptr = (const char *)unhex(a, j->valuestring, &n);
    v->of.str.len = (uint32_t)n;
    return;
  }
  case WK_CABI_LIST: case WK_CABI_MAP: case WK_CABI_RECORD: case WK_CABI_TUPLE: {
    uint32_t n = (uint32_t)cJSON_GetArraySize(j);
    v->of.seq.n = n;
    v->of.seq.items = wk_arena_alloc(a, sizeof(wk_cval) * (n + 1));
    wk_cabi_type *entry = NULL;
    if (t->kind == WK_CABI_MAP) {
      entry = wk_arena_alloc(a, sizeof *entry);
      entry->kind = WK_CABI_TUPLE;
      entry->n = 2;
      entry->children = t->children;
    }
    for (uint32_t i = 0; i < n; i++) {
      const wk_cabi_type *ct = t->kind == WK_CABI_MAP ? entry : t->kind == WK_CABI_LIST ? t->children[0] : t->children[i];
      mk_val(a, ct, cJSON_GetArrayItem(j, (int)i), &v->of.seq.items[i]);
    }
    return;
  }
  case WK_CABI_VARIANT: case WK_CABI_ENUM: case WK_CABI_OPTION: case WK_CABI_RESULT: {
    uint32_t d = (uint32_t)num(cJSON_GetArrayItem(j, 0));
    v->of.var.disc = d;
    const cJSON *p = cJSON_GetArrayItem(j, 1);
    const wk_cabi_type *ct = t->kind == WK_CABI_VARIANT ? t->children[d]
                             : t->kind == WK_CABI_OPTION ? (d == 1 ? t->children[0] : NULL)
                             : t->kind == WK_CABI_RESULT ? t->children[d] : NULL;
    if (ct && p && !cJSON_IsNull(p)) {
      v->of.var.payload = wk_arena_alloc(a, sizeof(wk_cval));
      mk_val(a, ct, p, v->of.var.payload);
    }
    return;
  }
  case WK_CABI_FLAGS:
    v->of.flags.n = 1;
    v->of.flags.words = wk_arena_alloc(a, 4);
    v->of.flags.words[0] = (uint32_t)num(j);
    return;
  case WK_CABI_OWN: case WK_CABI_BORROW: v->of.handle.rep = (uint32_t)num(j); return;
  default: return;
  }
}

static void out_val(wk_buf *o, const wk_cabi_type *t, const wk_cval *v) {
  switch (t->kind) {
  case WK_CABI_BOOL: wk_buf_str(o, v->of.b ? "true" : "false"); return;
  case WK_CABI_S8: case WK_CABI_S16: case WK_CABI_S32: case WK_CABI_S64:
    wk_buf_printf(o, "\"%lld\"", (long long)v->of.s); return;
  case WK_CABI_U8: case WK_CABI_U16: case WK_CABI_U32: case WK_CABI_U64:
    wk_buf_printf(o, "\"%llu\"", (unsigned long long)v->of.u); return;
  case WK_CABI_F32: { uint32_t b; memcpy(&b, &v->of.f32, 4); wk_buf_printf(o, "\"%u\"", b); return; }
  case WK_CABI_F64: { uint64_t b; memcpy(&b, &v->of.f64, 8); wk_buf_printf(o, "\"%llu\"", (unsigned long long)b); return; }
  case WK_CABI_CHAR: wk_buf_printf(o, "%u", v->of.ch); return;
  case WK_CABI_STRING:
    wk_buf_byte(o, '"');
    for (uint32_t i = 0; i < v->of.str.len; i++) wk_buf_printf(o, "%02x", (uint8_t)v->of.str.ptr[i]);
    wk_buf_byte(o, '"');
    return;
  case WK_CABI_LIST: case WK_CABI_MAP: case WK_CABI_RECORD: case WK_CABI_TUPLE: {
    wk_cabi_type entry = {0};
    entry.kind = WK_CABI_TUPLE;
    entry.n = 2;
    entry.children = t->children;
    wk_buf_byte(o, '[');
    for (uint32_t i = 0; i < v->of.seq.n; i++) {
      if (i) wk_buf_byte(o, ',');
      const wk_cabi_type *ct = t->kind == WK_CABI_MAP ? &entry : t->kind == WK_CABI_LIST ? t->children[0] : t->children[i];
      out_val(o, ct, &v->of.seq.items[i]);
    }
    wk_buf_byte(o, ']');
    return;
  }
  case WK_CABI_VARIANT: case WK_CABI_ENUM: case WK_CABI_OPTION: case WK_CABI_RESULT: {
    uint32_t d = v->of.var.disc;
    const wk_cabi_type *ct = t->kind == WK_CABI_VARIANT ? t->children[d]
                             : t->kind == WK_CABI_OPTION ? (d == 1 ? t->children[0] : NULL)
                             : t->kind == WK_CABI_RESULT ? t->children[d] : NULL;
    wk_buf_printf(o, "[%u,", d);
    if (ct && v->of.var.payload) out_val(o, ct, v->of.var.payload);
    else wk_buf_str(o, "null");
    wk_buf_byte(o, ']');
    return;
  }
  case WK_CABI_FLAGS: wk_buf_printf(o, "%u", v->of.flags.n ? v->of.flags.words[0] : 0); return;
  case WK_CABI_OWN: case WK_CABI_BORROW: wk_buf_printf(o, "%u", v->of.handle.rep); return;
  default: wk_buf_str(o, "null"); return;
  }
}

static const char *core_name(wk_cabi_core c) {
  return c == WK_CABI_CORE_I32 ? "i32" : c == WK_CABI_CORE_I64 ? "i64" : c == WK_CABI_CORE_F32 ? "f32" : "f64";
}

static wk_cabi_core core_of(const char *s) {
  return !strcmp(s, "i32") ? WK_CABI_CORE_I32 : !strcmp(s, "i64") ? WK_CABI_CORE_I64
         : !strcmp(s, "f32") ? WK_CABI_CORE_F32 : WK_CABI_CORE_F64;
}

static void json_str(wk_buf *o, const char *s) {
  wk_buf_byte(o, '"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') wk_buf_byte(o, '\\');
    if ((unsigned char)*s < 0x20) continue;
    wk_buf_byte(o, (uint8_t)*s);
  }
  wk_buf_byte(o, '"');
}

static void run_case(const cJSON *c, wk_buf *o) {
  wk_arena a = {0};
  wk_error err;
  wk_error_clear(&err);
  const char *op = cJSON_GetObjectItem(c, "op")->valuestring;
  heap h = {0};
  size_t mlen;
  const uint8_t *m0 = unhex(&a, cJSON_GetObjectItem(c, "mem")->valuestring, &mlen);
  h.mem = malloc(mlen ? mlen : 1);
  memcpy(h.mem, m0, mlen);
  h.len = mlen;
  h.next = num(cJSON_GetObjectItem(c, "heap"));
  h.bad = (int)snum(cJSON_GetObjectItem(c, "bad"));
  h.badkind = (int)num(cJSON_GetObjectItem(c, "badkind"));
  wk_cabi_instance inst;
  wk_cabi_instance_init(&inst);
  rts[0].impl = &inst;
  rts[1].impl = &other;
  /* the table: entries at 1.., then free the holes so the free order matches */
  const cJSON *hs = cJSON_GetObjectItem(c, "handles");
  for (int i = 0; i < cJSON_GetArraySize(hs); i++) {
    const cJSON *e = cJSON_GetArrayItem(hs, i);
    wk_cabi_handle hd = {&rts[0], 0, 1, 0, NULL};
    if (!cJSON_IsNull(e)) {
      hd.rt = &rts[(int)num(cJSON_GetArrayItem(e, 0))];
      hd.rep = (uint32_t)num(cJSON_GetArrayItem(e, 1));
      hd.own = (uint8_t)num(cJSON_GetArrayItem(e, 2));
      hd.num_lends = (uint32_t)num(cJSON_GetArrayItem(e, 3));
    }
    uint32_t idx;
    wk_cabi_resource_new(&inst, hd.rt, hd.rep, &idx, &err);
    inst.handles[idx] = hd;
  }
  const cJSON *fr = cJSON_GetObjectItem(c, "free");
  for (int i = 0; i < cJSON_GetArraySize(fr); i++) {
    uint32_t idx = (uint32_t)num(cJSON_GetArrayItem(fr, i));
    memset(&inst.handles[idx], 0, sizeof inst.handles[idx]);
    inst.handles[idx].rep = inst.free_head;
    inst.free_head = idx;
  }
  wk_cabi_call call;
  wk_cabi_call_init(&call, &inst);
  wk_cabi_cx cx = {0};
  cx.opts.ptr_size = (uint32_t)num(cJSON_GetObjectItem(c, "ps"));
  cx.opts.string_encoding = (wk_cabi_string_encoding)num(cJSON_GetObjectItem(c, "enc"));
  cx.memory = h_memory;
  cx.realloc = h_realloc;
  cx.env = &h;
  cx.inst = &inst;
  cx.borrow_scope = &call;

  const cJSON *tj = cJSON_GetObjectItem(c, "types");
  uint32_t nt = (uint32_t)cJSON_GetArraySize(tj);
  const wk_cabi_type **types = wk_arena_alloc(&a, sizeof *types * (nt + 1));
  for (uint32_t i = 0; i < nt; i++) types[i] = mk_type(&a, cJSON_GetArrayItem(tj, (int)i));
  wk_cval *vals = wk_arena_alloc(&a, sizeof *vals * (nt + 1));
  const cJSON *vj = cJSON_GetObjectItem(c, "vals");
  if (vj)
    for (uint32_t i = 0; i < nt; i++) mk_val(&a, types[i], cJSON_GetArrayItem(vj, (int)i), &vals[i]);
  wk_cabi_flat flat[WK_CABI_SIG_MAX + 64];
  uint32_t nflat = 0;
  int rc, lifting = 0;
  uint32_t max_flat = (uint32_t)num(cJSON_GetObjectItem(c, "max_flat"));
  if (!strcmp(op, "load")) {
    lifting = 1;
    rc = wk_cabi_load(&cx, types[0], (uint32_t)num(cJSON_GetObjectItem(c, "ptr")), &a, &vals[0], &err);
  } else if (!strcmp(op, "store")) {
    rc = wk_cabi_store(&cx, types[0], &vals[0], (uint32_t)num(cJSON_GetObjectItem(c, "ptr")), &err);
  } else if (!strcmp(op, "lift")) {
    lifting = 1;
    const cJSON *fj = cJSON_GetObjectItem(c, "flat");
    nflat = (uint32_t)cJSON_GetArraySize(fj);
    for (uint32_t i = 0; i < nflat && i < WK_CABI_SIG_MAX + 64; i++) {
      const cJSON *f = cJSON_GetArrayItem(fj, (int)i);
      flat[i].type = core_of(cJSON_GetArrayItem(f, 0)->valuestring);
      flat[i].bits = num(cJSON_GetArrayItem(f, 1));
    }
    rc = wk_cabi_lift_values(&cx, types, nt, max_flat, flat, nflat, &a, vals, &err);
  } else {
    const cJSON *op_ = cJSON_GetObjectItem(c, "out_ptr");
    int have = op_ && !cJSON_IsNull(op_);
    rc = wk_cabi_lower_values(&cx, types, nt, max_flat, vals, have, have ? (uint32_t)num(op_) : 0, flat, &nflat, &err);
  }
  wk_buf_str(o, "{\"status\":");
  wk_buf_str(o, rc == WK_OK ? "\"ok\"" : rc == WK_ERR_TRAP ? "\"trap\"" : "\"error\"");
  wk_buf_str(o, ",\"msg\":");
  json_str(o, rc ? err.msg : "");
  if (rc == WK_OK) {
    if (lifting) {
      wk_buf_str(o, ",\"vals\":[");
      for (uint32_t i = 0; i < nt; i++) {
        if (i) wk_buf_byte(o, ',');
        out_val(o, types[i], &vals[i]);
      }
      wk_buf_str(o, "],\"lenders\":[");
      for (uint32_t i = 0; i < call.nlenders; i++) wk_buf_printf(o, "%s%u", i ? "," : "", call.lenders[i]);
      wk_buf_byte(o, ']');
    } else {
      wk_buf_str(o, ",\"mem\":\"");
      for (size_t i = 0; i < h.len; i++) wk_buf_printf(o, "%02x", h.mem[i]);
      wk_buf_str(o, "\",\"flat\":[");
      for (uint32_t i = 0; i < nflat; i++)
        wk_buf_printf(o, "%s[\"%s\",\"%llu\"]", i ? "," : "", core_name(flat[i].type), (unsigned long long)flat[i].bits);
      wk_buf_printf(o, "],\"num_borrows\":%u", call.num_borrows);
    }
    wk_buf_str(o, ",\"handles\":[");
    for (uint32_t i = 1; i < inst.nhandles; i++) {
      const wk_cabi_handle *e = &inst.handles[i];
      if (i > 1) wk_buf_byte(o, ',');
      if (!e->rt) wk_buf_str(o, "null");
      else
        wk_buf_printf(o, "[%d,%u,%u,%u,%d]", e->rt == &rts[0] ? 0 : 1, e->rep, e->own, e->num_lends,
                      e->borrow_scope != NULL);
    }
    wk_buf_byte(o, ']');
  }
  wk_buf_str(o, "}\n");
  wk_cabi_call_finish(&call, &err);
  wk_cabi_instance_free(&inst);
  free(h.mem);
  wk_arena_free(&a);
}

int main(void) {
  size_t cap = 1 << 20;
  char *line = malloc(cap);
  wk_buf o = {0};
  ssize_t n;
  size_t lcap = cap;
  while ((n = getline(&line, &lcap, stdin)) > 0) {
    cJSON *c = cJSON_Parse(line);
    if (!c) { fputs("{\"status\":\"error\",\"msg\":\"bad case JSON\"}\n", stdout); continue; }
    run_case(c, &o);
    cJSON_Delete(c);
    fwrite(o.data, 1, o.len, stdout);
    o.len = 0;
  }
  wk_buf_free(&o);
  free(line);
  return 0;
}
