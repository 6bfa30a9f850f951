/*
 * Interface versions: the one parser, compatibility rule and precedence order
 * of the versions in interface names (`ns:pkg/iface@VERSION`), for every wkit
 * library that matches or orders them: lib/component's Linker (as wasmtime's),
 * lib/compose's `wcompose new` (as wit-component) and plug/WAC composition (as
 * wac), lib/witparse's resolver (as wit-parser). Part of lib/encode, next to
 * the component-name grammar (component_validate.c), because every one of
 * those libraries links lib/encode (Makefile LIBNAMES) and the grammar of
 * `interfaceversion` is the Explainer's.
 *
 * Explainer.md "Import and Export Definitions":
 *   interfaceversion ::= '@' <valid semver> | '@' <canonversion> (🔗)
 *   canonversion     ::= [1-9] [0-9]* | '0.' [1-9] [0-9]* | '0.0.' [1-9] [0-9]* | '0.0.0'
 * `valid semver` is Semantic Versioning 2.0.0 (semver.org): MAJOR.MINOR.PATCH,
 * numbers without leading zeros, an optional `-` pre-release and `+` build
 * metadata (dot-separated identifiers of [0-9A-Za-z-], a numeric pre-release
 * identifier without leading zeros).
 *
 * Strings are (pointer, length) pairs, not NUL-terminated; nothing is
 * allocated and nothing is kept.
 */
#ifndef WK_ENCODE_SEMVER_H
#define WK_ENCODE_SEMVER_H
#include <stddef.h>
#include <stdint.h>

/* A parsed version. `pre` / `build` point into the parsed string (without
 * their `-` / `+`; NULL and 0 when absent). `nparts` is how many numbers were
 * written: 3 for a valid semver, 1 (`1`) or 2 (`0.2`) for an abbreviated
 * canonversion, whose missing numbers are 0 (wasmtime's pad_canonical_version). */
typedef struct wk_semver {
  uint64_t major, minor, patch;
  const char *pre, *build;
  size_t npre, nbuild;
  int nparts;
} wk_semver;

/* Parse `s` (n bytes) as a `valid semver` or a `canonversion` (Explainer.md
 * "Import and Export Definitions", grammar above). Returns 1 and fills *v (may
 * be NULL) when it is one; 0 otherwise: empty, a non-digit, a leading zero
 * (`01`, `1.02.3`, `1.0.0-01`), an empty identifier (`1.0.0-`, `1..0`), a
 * number above UINT64_MAX (the semver crate's u64 limit: an error there too),
 * or an abbreviation that is not a canonversion (`0`, `0.0`, `1.2`, `0.2-rc`). */
int wk_semver_parse(const char *s, size_t n, wk_semver *v);

/* wk_semver_parse saying why not: NULL when `s` parses (and *v, may be NULL, is
 * filled), else a static message for a diagnostic: "unexpected character in
 * version", "invalid leading zero in version number", "value out of range",
 * "unexpected end of input while parsing version", "invalid pre-release or build
 * identifier" or "unexpected character after version". */
const char *wk_semver_check(const char *s, size_t n, wk_semver *v);

/* 1 when *v (parsed by wk_semver_parse) is a `canonversion` (Explainer.md "Import
 * and Export Definitions"): `1`, `0.2`, `0.0.3`, `0.0.0`, no pre-release or build;
 * the only versions a `versionsuffix` may complete ("🔗 Canonical Interface Name"). */
int wk_semver_is_canonical(const wk_semver *v);

/* wk_semver_compatible's option: wac's rule (see below). */
#define WK_SEMVER_FULL_ONLY 1u

/* 1 when an import of interface version `a` may be satisfied by a definition
 * of version `b` of the same interface (and, the rule being symmetric, the
 * other way round): both are on the same "semver track". An empty version
 * (the name has no `@`) is compatible only with another empty one; versions of
 * identical bytes are compatible whatever they are (the exact-name match every
 * peer tries first); otherwise both must parse (wk_semver_parse), and:
 *
 * - without a pre-release the track is the canonversion prefix (Explainer.md
 *   "🔗 Canonical Interface Name"): MAJOR when MAJOR > 0 (`1` ~ `1.4.0` ~
 *   `1.0.2`), else 0.MINOR when MINOR > 0 (`0.2` ~ `0.2.3`), else 0.0.PATCH
 *   (`0.0.1` !~ `0.0.2`); build metadata is not part of it (`0.0.1+a` ~
 *   `0.0.1+b`). This is wit-parser's PackageName::version_compat_track (which
 *   Resolve::merge_world_imports_based_on_semver and wit-component's matching
 *   of core imports to world imports use, the `cm32p2` names' canonical
 *   versions included) and wasmtime's component Linker (NameMap: the
 *   alternate lookup key of a full version, a canonical name on its own track).
 * - with a pre-release the track is the whole MAJOR.MINOR.PATCH-PRE without the
 *   build metadata (`1.0.0-rc.1+a` ~ `1.0.0-rc.1+b`, !~ `1.0.0-rc.2`, !~
 *   `1.0.0`), as wit-parser and wasmtime have it. The Explainer's split
 *   (`0.2.6-rc.1` -> `0.2` / `.6-rc.1`) would put it on the release track;
 *   no peer implements that, and neither does wkit.
 *
 * flags: 0 for the rule above; WK_SEMVER_FULL_ONLY for wac's (wac-types
 * names.rs are_semver_compatible, a copy of wasmtime's Linker before
 * canonical names): only a version written in full MAJOR.MINOR.PATCH has a
 * track (`0.2` matches only `0.2`), and a version that is its own track
 * (0.0.PATCH, any pre-release) matches only the identical bytes, build
 * metadata included. */
int wk_semver_compatible(const char *a, size_t an, const char *b, size_t bn, unsigned flags);

/* Semantic Versioning 2.0.0 precedence (semver.org section 11) of `a` and `b`:
 * <0, 0 or >0. Numbers compare numerically; a version with a pre-release is
 * below the same version without one; pre-release identifiers compare left
 * to right (numeric ones numerically and below alphanumeric ones, those in
 * ASCII order), fewer identifiers first when all before are equal. Build
 * metadata is ignored (`1.0.0+a` == `1.0.0`); an abbreviated canonversion
 * counts with its missing numbers 0 (`0.2` == `0.2.0`). A string that does not
 * parse sorts below every version and, among those, by its bytes (memcmp, then
 * the shorter first): a total order, so sorting with it is deterministic. */
int wk_semver_cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
