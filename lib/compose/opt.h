/*
 * wcompose opt: optimize the core modules of a component (or a plain core
 * module) with binaryen (libbinaryen's C API, binaryen-c.h), keeping the
 * component's structure: the component is decoded into lib/encode's model
 * (component.h), each nested core module's bytes are replaced by the
 * optimized ones, and the model is encoded again by the one component
 * encoder (wk_component_encode). Binaryen's `wasm-opt` cannot read
 * components (binaryen issue #6728); `jco opt` does the same through node.
 *
 * What is kept (Explainer.md "Canonical Definitions", "Alias Definitions"):
 *  - every export of every module: canon lift/lower options and core export
 *    aliases refer to them by name (lift targets, realloc, post-return,
 *    memories, tables). Binaryen keeps exports as roots; the result is
 *    checked: a module whose export list changed is left as it was.
 *  - imports: binaryen may drop unused ones (an instantiation may supply
 *    more than a module imports); it must not add any (checked).
 *  - custom sections: the name section (binaryen debug info on), and every
 *    custom section binaryen drops (target_features, ...) is put back after
 *    the module's sections, except DWARF (`.debug_*`), which no longer
 *    matches optimized code. A `processed-by` producers entry (tool, version)
 *    is added to each optimized module and to the outermost component.
 *
 * Binaryen ends the process on input it cannot read (its `Fatal()` calls
 * exit) and asserts on some inputs, so each module is optimized in a forked
 * child process running the same C API; its output comes back through a
 * memfd. A module the child cannot read or optimize (a feature binaryen 108
 * lacks, a crash) is left as it was, with a note in the report, never
 * dropped. Binaryen features are enabled for what the module uses
 * (wk_opt_detect_features), plus its target_features section.
 *
 * The input must validate (wk_component_validate; a plain core module:
 * wk_core_decode + wk_core_validate, i.e. WebAssembly 2.0) and so must the
 * result, before anything is returned. Output is deterministic.
 */
#ifndef WK_COMPOSE_OPT_H
#define WK_COMPOSE_OPT_H
#include "base/base.h"

typedef struct wk_opt_options {
  int level;          /* binaryen optimize level 0..4 (wasm-opt -O0..-O4) */
  int shrink;         /* binaryen shrink level 0..2 (-Os: level 2 shrink 1, -Oz: level 2 shrink 2) */
  int pipeline;       /* 1: run binaryen's default optimization pipeline for level/shrink */
  uint32_t npasses;   /* then these binaryen passes, in order (e.g. "dce", "vacuum") */
  const char *const *passes;
  int dce;            /* 1: first drop the core-module exports nothing in the component uses
                         (wk_opt_dce_plan), so binaryen removes what only they reached */
  const char *tool;   /* producers processed-by name (e.g. "wcompose"); NULL = no entry */
  const char *version;
} wk_opt_options;

/*
 * Set level/shrink/pipeline from a level name: "0".."4", "s", "z" (also
 * with a leading "-O" or "O"); "" or "-O" alone means wasm-opt's -O
 * (= -Os). Returns WK_OK or WK_ERR_USAGE.
 */
int wk_opt_parse_level(const char *s, wk_opt_options *o);

/* One core module of the input and what happened to it. */
typedef struct wk_opt_entry {
  char where[128];    /* "core module 0", "component 1 > core module 2" (index spaces of each component) */
  size_t before, after; /* module size in bytes (after == before when left as it was) */
  int optimized;      /* 1: replaced by binaryen's output; 0: left as it was (see note) */
  uint32_t dropped;   /* exports dropped as unused (o->dce) */
  char note[400];     /* why it was left, or what was not restored; "" = nothing to say */
} wk_opt_entry;

typedef struct wk_opt_report {
  uint32_t n;
  wk_opt_entry *e;
} wk_opt_report;

void wk_opt_report_free(wk_opt_report *r);

/*
 * Check that binaryen knows every pass in o->passes (run on an empty
 * module in a child). Returns WK_OK or WK_ERR_USAGE with binaryen's message.
 */
int wk_opt_check_passes(const wk_opt_options *o, wk_error *err);

/*
 * Optimize `in` (a component, Binary.md, or a core module) into `out`
 * (appended): see the file comment. `rep` (may be NULL) receives one entry
 * per core module, in binary order (free with wk_opt_report_free).
 * Returns WK_OK; WK_ERR_MALFORMED / WK_ERR_INVALID for an input that does
 * not decode or validate (offset into `in`); WK_ERR_INVALID when the result
 * does not validate (a bug: nothing is returned); WK_ERR_IO when the child
 * process cannot be started; WK_ERR_NOMEM.
 */
int wk_opt_run(const uint8_t *in, size_t len, const wk_opt_options *o, wk_buf *out, wk_opt_report *rep,
               wk_error *err);

/* Proposals a core module uses (bits below), found by decoding it
 * (wk_core_decode, WebAssembly 2.0) and reading every instruction and
 * type: sign extension, non-trapping float-to-int, bulk memory, reference
 * types, SIMD, multi-value, plus the `+` entries of its target_features
 * section (tool-conventions Linking.md "Target Features Section").
 * WK_OPTF_UNKNOWN when the module does not decode as 2.0 (a later proposal). */
enum {
  WK_OPTF_SIGN_EXT = 1u << 0, WK_OPTF_SAT_CONV = 1u << 1, WK_OPTF_BULK_MEMORY = 1u << 2,
  WK_OPTF_REFERENCE_TYPES = 1u << 3, WK_OPTF_SIMD = 1u << 4, WK_OPTF_MULTIVALUE = 1u << 5,
  WK_OPTF_MUTABLE_GLOBALS = 1u << 6, WK_OPTF_ATOMICS = 1u << 7, WK_OPTF_TAIL_CALL = 1u << 8,
  WK_OPTF_EXCEPTIONS = 1u << 9, WK_OPTF_MEMORY64 = 1u << 10, WK_OPTF_EXTENDED_CONST = 1u << 11,
  WK_OPTF_RELAXED_SIMD = 1u << 12, WK_OPTF_GC = 1u << 13,
  WK_OPTF_UNKNOWN = 1u << 31,
};
uint32_t wk_opt_detect_features(const uint8_t *mod, size_t len);

/* Cross-module dead code (opt_dce.c): per section of a component, the
 * exports of that core module section nothing in the component uses. */
typedef struct wk_opt_drop {
  uint32_t n;
  const char **names; /* NUL-terminated copies of the export names */
} wk_opt_drop;
typedef struct wk_opt_dce {
  uint32_t n;         /* = the component's section count */
  wk_opt_drop *drop;  /* drop[i]: for core module section i (n = 0 elsewhere) */
  wk_arena *arena;    /* owns the names */
} wk_opt_dce;

/*
 * The unused exports of the core modules defined directly in `c` (not in
 * its nested components; call it for each): an export is used when a core
 * instance of its module has it aliased (`alias core export`) or imported
 * by a module instantiated with that instance as an argument (Explainer.md
 * "Instance Definitions", "Alias Definitions"). Modules that are not
 * instantiated, or whose uses cannot all be seen (exported, given to a
 * component, aliased from a nested component, given to an imported
 * module), keep every export. `out` is freed with wk_opt_dce_free.
 * Returns WK_OK or WK_ERR_NOMEM.
 */
struct wk_component;
int wk_opt_dce_plan(const struct wk_component *c, wk_opt_dce *out, wk_error *err);
void wk_opt_dce_free(wk_opt_dce *d);
#endif
