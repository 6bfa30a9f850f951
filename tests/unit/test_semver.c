/* Unit tests for lib/encode/semver.h: the one parser, compatibility rule and precedence
 * order of interface versions. Expected values come from the Explainer's grammar
 * (Import and Export Definitions, 🔗 Canonical Interface Name), semver.org 2.0.0, and the
 * peers' own tests: wasmtime environ names.rs (alternate_lookup_key, name_map_canonical_lookup),
 * wit-parser PackageName::version_compat_track, wac-types aggregator.rs (are_semver_compatible). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "encode/semver.h"

static int parse(const char *s, wk_semver *v) { return wk_semver_parse(s, strlen(s), v); }
static int compat(const char *a, const char *b) { return wk_semver_compatible(a, strlen(a), b, strlen(b), 0); }
static int compat_wac(const char *a, const char *b) {
  return wk_semver_compatible(a, strlen(a), b, strlen(b), WK_SEMVER_FULL_ONLY);
}
static int cmp(const char *a, const char *b) { return wk_semver_cmp(a, strlen(a), b, strlen(b)); }

static void test_parse(void **state) {
  (void)state;
  wk_semver v;
  assert_true(parse("1.22.333", &v));
  assert_true(v.major == 1 && v.minor == 22 && v.patch == 333 && v.nparts == 3 && !v.pre && !v.build);
  assert_true(parse("1.0.0-rc.1+build.007", &v));
  assert_int_equal(v.npre, 4);
  assert_memory_equal(v.pre, "rc.1", 4);
  assert_int_equal(v.nbuild, 9);
  assert_memory_equal(v.build, "build.007", 9); /* leading zeros are fine in build metadata */
  assert_true(parse("1.0.0+x", &v) && v.npre == 0 && v.nbuild == 1);
  assert_true(parse("1.0.0-x-y--z.0.a0", &v) && v.npre == 11);
  assert_true(parse("18446744073709551615.0.0", &v) && v.major == UINT64_MAX);
  /* canonversions (Explainer.md "Import and Export Definitions"): missing numbers are 0 */
  assert_true(parse("1", &v) && v.major == 1 && v.minor == 0 && v.patch == 0 && v.nparts == 1);
  assert_true(parse("10", &v) && v.major == 10 && v.nparts == 1);
  assert_true(parse("0.2", &v) && v.major == 0 && v.minor == 2 && v.patch == 0 && v.nparts == 2);
  assert_true(parse("0.0.3", &v) && v.nparts == 3);
  assert_true(parse("0.0.0", &v));
  /* the component validator's canon_bad (test_component.c test_names) and more */
  static const char *const bad[] = {
      "",        "0",        "0.0",     "01",      "0.02",      "1.2",      "1.",     "1.0.",     ".1.0.0",
      "1.0.0.0", "1.0.0-",   "1.0.0+",  "1.0.0-a..b", "1.0.0+a..b", "1.0.0-01", "01.0.0", "1.00.0", "1.0.00",
      "v1.0.0",  "1.0.0 ",   " 1.0.0",  "1.0.0-a_b", "1.0.0+é",   "0.2-rc",   "1+b",    "x",        "garbage",
      "1.0.0-rc.1+", "18446744073709551616.0.0", "1.99999999999999999999999.0", "1.0.0--+"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (parse(bad[i], &v)) fail_msg("`%s` parsed", bad[i]);
  }
  /* canonversions among them (Explainer.md: [1-9][0-9]* | 0.[1-9][0-9]* | 0.0.[1-9][0-9]* | 0.0.0) */
  static const char *const canon[] = {"1", "10", "0.2", "0.0.3", "0.0.0"};
  for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++)
    if (!parse(canon[i], &v) || !wk_semver_is_canonical(&v)) fail_msg("`%s` is a canonversion", canon[i]);
  static const char *const full[] = {"1.0.0", "0.2.0", "0.2.3", "0.0.3-rc", "0.0.3+b", "1.2.3"};
  for (size_t i = 0; i < sizeof full / sizeof full[0]; i++)
    if (!parse(full[i], &v) || wk_semver_is_canonical(&v)) fail_msg("`%s` is no canonversion", full[i]);
  assert_true(parse("1.0.0--", &v) && v.npre == 1); /* `-` is an identifier character */
  assert_false(wk_semver_parse(NULL, 0, &v));
  assert_true(wk_semver_parse("1.2.3junk", 5, &v) && v.patch == 3 && v.nparts == 3); /* (ptr, len) */
  assert_true(wk_semver_parse("1.2.3", 5, NULL));
  /* what wk_semver_check says (the WIT parser's diagnostics) */
  static const struct { const char *s, *why; } why[] = {
      {"1.2.3-rc.1+b", NULL},
      {"", "unexpected end of input while parsing version"},
      {"1.2", "unexpected end of input while parsing version"},
      {"1.2.x", "unexpected character in version"},
      {"01.2.3", "invalid leading zero in version number"},
      {"1.2.18446744073709551616", "value out of range"},
      {"1.2.3-01", "invalid pre-release or build identifier"},
      {"1.2.3+a..b", "invalid pre-release or build identifier"},
      {"1.2.3 x", "unexpected character after version"},
      {"1-rc", "unexpected character after version"},
  };
  for (size_t i = 0; i < sizeof why / sizeof why[0]; i++) {
    const char *e = wk_semver_check(why[i].s, strlen(why[i].s), NULL);
    if (why[i].why ? !e || strcmp(e, why[i].why) : e != NULL)
      fail_msg("`%s`: %s, expected %s", why[i].s, e ? e : "ok", why[i].why ? why[i].why : "ok");
  }
}

static void test_compatible(void **state) {
  (void)state;
  /* x.y.z: the canonversion prefix is the track */
  assert_true(compat("0.2.0", "0.2.3"));
  assert_true(compat("0.2.3", "0.2.0"));
  assert_false(compat("0.2.0", "0.3.0"));
  assert_true(compat("1.0.0", "1.4.2"));
  assert_true(compat("2.1.2+abc", "2.0.0"));
  assert_false(compat("1.0.0", "2.0.0"));
  assert_true(compat("0.0.1", "0.0.1"));
  assert_false(compat("0.0.1", "0.0.2"));
  assert_false(compat("0.0.1", "0.1.0"));
  assert_true(compat("0.0.0", "0.0.0"));
  /* canonversions are their own tracks' names: `0.2` ~ 0.2.x, `1` ~ 1.x.y (wasmtime name_map_canonical_lookup) */
  assert_true(compat("0.2", "0.2.3"));
  assert_true(compat("0.2.3", "0.2"));
  assert_false(compat("0.2", "0.3.0"));
  assert_true(compat("1", "1.4.0"));
  assert_true(compat("1", "1.0.0"));
  assert_false(compat("1", "2.0.0"));
  assert_false(compat("0.2", "0.0.2"));
  assert_false(compat("1", "0.1.0"));
  /* build metadata is no part of a track (wasmtime: a:b/f@0.0.1+a found for 0.0.1+c and 0.0.1) */
  assert_true(compat("0.0.1+a", "0.0.1+b"));
  assert_true(compat("0.0.1", "0.0.1+b"));
  assert_false(compat("0.0.1+a", "0.0.2+a"));
  /* pre-releases: their own track, the version without build metadata (wit-parser, wasmtime) */
  assert_false(compat("1.0.0-rc.1", "1.0.0"));
  assert_false(compat("1.0.0", "1.0.0-rc.1"));
  assert_false(compat("0.2.0-pre", "0.2.0"));
  assert_false(compat("0.2.6-rc.1", "0.2"));
  assert_false(compat("1.0.0-rc.1", "1.0.0-rc.2"));
  assert_false(compat("1.0.0-rc.1", "1.0.1-rc.1"));
  assert_false(compat("1.0.0-rc", "1.0.0-rc.1"));
  assert_true(compat("1.0.0-rc.1", "1.0.0-rc.1"));
  assert_true(compat("1.0.0-rc.1+a", "1.0.0-rc.1+b"));
  /* absent versions, garbage, leading zeros, overlong numbers */
  assert_true(compat("", ""));
  assert_false(compat("", "1.0.0"));
  assert_false(compat("1.0.0", ""));
  assert_true(compat("garbage", "garbage")); /* the exact name */
  assert_false(compat("garbage", "1.0.0"));
  assert_false(compat("1.0", "1.0.0"));   /* not a canonversion */
  assert_false(compat("1.2", "1.2.5"));   /* likewise */
  assert_false(compat("01.0.0", "1.0.0"));
  assert_false(compat("1.0.0", "1.00.0"));
  assert_false(compat("18446744073709551616.0.0", "18446744073709551616.1.0"));
  assert_true(compat("18446744073709551615.0.0", "18446744073709551615.1.0"));
}

static void test_compatible_wac(void **state) {
  (void)state;
  /* wac-types aggregator.rs tests */
  assert_true(compat_wac("0.2.0", "0.2.0"));
  assert_true(compat_wac("0.2.0", "0.2.1"));
  assert_true(compat_wac("0.2.1", "0.2.0"));
  assert_true(compat_wac("1.0.0", "1.2.3"));
  assert_true(compat_wac("2.0.0", "2.1.0"));
  assert_false(compat_wac("0.2.0", "0.3.0"));
  assert_false(compat_wac("1.0.0", "2.0.0"));
  assert_false(compat_wac("1.0.0-rc.1", "1.0.0"));
  assert_false(compat_wac("0.2.0-pre", "0.2.0"));
  assert_false(compat_wac("0.0.1", "0.0.2"));
  assert_true(compat_wac("", ""));
  assert_false(compat_wac("1.0.0", ""));
  /* where wac differs from the rule: no canonversions, off-track versions only byte for byte */
  assert_false(compat_wac("0.2", "0.2.3"));
  assert_false(compat_wac("1", "1.4.0"));
  assert_true(compat_wac("0.2", "0.2"));
  assert_false(compat_wac("0.0.1+a", "0.0.1+b"));
  assert_false(compat_wac("1.0.0-rc.1+a", "1.0.0-rc.1+b"));
  assert_true(compat_wac("1.0.0-rc.1", "1.0.0-rc.1"));
  assert_true(compat_wac("2.1.2+abc", "2.0.0"));
  /* as lib/compose's own copy had it (tests/unit/test_compose.c before this rule moved here) */
  assert_true(compat_wac("1.0.0-rc1", "1.0.0-rc1"));
  assert_false(compat_wac("1.0", "1.0.0"));
  assert_true(compat_wac("0.0.3", "0.0.3"));
  assert_false(compat_wac("0.0.3", "0.0.4"));
}

static void test_precedence(void **state) {
  (void)state;
  /* semver.org section 11's example chain, and more */
  static const char *const chain[] = {"garbage", "0.0.0",         "0.0.1",        "0.1.0",      "0.2",
                                      "0.2.1",   "1.0.0-0",       "1.0.0-1",      "1.0.0-2",    "1.0.0-10",
                                      "1.0.0-A", "1.0.0-alpha",   "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                      "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1",          "1.0.1",
                                      "1.1.0",   "2.0.0",         "10.0.0",       "18446744073709551615.0.0"};
  size_t n = sizeof chain / sizeof chain[0];
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      int c = cmp(chain[i], chain[j]);
      if ((i < j && c >= 0) || (i > j && c <= 0) || (i == j && c != 0))
        fail_msg("cmp(%s, %s) = %d", chain[i], chain[j], c);
    }
  assert_int_equal(cmp("1.0.0+build", "1.0.0"), 0);
  assert_int_equal(cmp("1.0.0-rc.1+a", "1.0.0-rc.1+b"), 0);
  assert_int_equal(cmp("1", "1.0.0"), 0);
  assert_int_equal(cmp("0.2", "0.2.0"), 0);
  assert_true(cmp("1.0.0-rc.99999999999999999999999", "1.0.0-rc.100000000000000000000000") < 0); /* numeric, any length */
  /* strings that do not parse: below every version, among them by bytes */
  assert_true(cmp("", "0.0.0") < 0);
  assert_true(cmp("01.0.0", "0.0.0") < 0);
  assert_true(cmp("a", "b") < 0);
  assert_true(cmp("a", "ab") < 0);
  assert_int_equal(cmp("x", "x"), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_compatible),
      cmocka_unit_test(test_compatible_wac),
      cmocka_unit_test(test_precedence),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
