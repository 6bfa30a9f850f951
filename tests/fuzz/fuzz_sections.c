/*
 * libFuzzer target: lib/encode's section walker (encode/sections.h) and the
 * metadata readers built on it (encode/component.h: wk_modinfo_read,
 * wk_producers_parse, wk_cnames_parse).
 * Input: a module or component binary (seeds: both corpora).
 * Checks the walker's invariants: sections are contiguous, inside the input,
 * custom names inside their payload and valid UTF-8.
 */
#include <string.h>
#include "encode/encode.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wk_error err;
  wk_section_iter it;
  if (wk_sections_begin(&it, data, size, &err) == WK_OK) {
    CHECK(it.kind == WK_BIN_MODULE || it.kind == WK_BIN_COMPONENT, "kind %d", it.kind);
    size_t expect = 8;
    wk_section sec;
    int r;
    while ((r = wk_sections_next(&it, &sec, &err)) == 1) {
      CHECK(sec.offset == expect, "section at %zu, previous ended at %zu", sec.offset, expect);
      CHECK(sec.payload_offset > sec.offset && sec.end == sec.payload_offset + sec.payload_len && sec.end <= size,
            "section bounds %zu+%zu in %zu", sec.payload_offset, sec.payload_len, size);
      expect = sec.end;
      if (sec.id == 0) {
        CHECK(sec.name != NULL && (const uint8_t *)sec.name >= data + sec.payload_offset &&
                  (const uint8_t *)sec.name + sec.name_len <= data + sec.end,
              "custom name outside its payload");
        CHECK(wk_utf8_valid((const uint8_t *)sec.name, sec.name_len), "custom name not UTF-8");
        CHECK(sec.content_offset >= sec.payload_offset && sec.content_offset <= sec.end, "content offset");
        wk_arena a = {0};
        const uint8_t *c = data + sec.content_offset;
        size_t clen = sec.end - sec.content_offset;
        if (sec.name_len == 9 && memcmp(sec.name, "producers", 9) == 0) {
          wk_producers p;
          (void)wk_producers_parse(c, clen, sec.content_offset, &a, &p, &err);
        } else if (sec.name_len == 14 && memcmp(sec.name, "component-name", 14) == 0) {
          wk_cnames n;
          (void)wk_cnames_parse(c, clen, &a, &n, &err);
        }
        wk_arena_free(&a);
      } else {
        CHECK(sec.content_offset == sec.payload_offset, "content offset of a non-custom section");
      }
    }
    if (r == 0) CHECK(expect == size, "walk ended at %zu of %zu", expect, size);
  }
  /* the raw parsers on arbitrary bytes */
  {
    wk_arena a = {0};
    wk_producers p;
    wk_cnames n;
    wk_modinfo mi;
    (void)wk_producers_parse(data, size, 0, &a, &p, &err);
    (void)wk_cnames_parse(data, size, &a, &n, &err);
    (void)wk_modinfo_read(data, size, &a, &mi, &err);
    wk_arena_free(&a);
  }
  size_t pos = 0;
  uint64_t v;
  while (pos < size && wk_read_uleb(data, size, &pos, 32, &v, &err) == WK_OK) CHECK(v <= UINT32_MAX, "u32 leb");
  pos = 0;
  while (pos < size && wk_read_uleb(data, size, &pos, 64, &v, &err) == WK_OK) {
  }
  (void)wk_utf8_valid(data, size);
  return 0;
}
