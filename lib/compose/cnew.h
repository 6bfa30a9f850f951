/*
 * lib/compose — `component new`: turn a core module that carries WIT
 * metadata (`component-type*` custom sections, as `wit-gen embed` writes
 * them) into a component, optionally folding in adapter modules such as the
 * WASI preview1 adapter. Semantics follow wit-component (wasm-tools
 * crates/wit-component: metadata.rs, validation.rs, encoding.rs), the
 * Component Model Explainer.md ("Canonical Definitions") and
 * CanonicalABI.md ("Flattening", "Canonical ABI Options").
 *
 * What the output holds:
 *  - the world of the metadata (all component-type sections of the module
 *    and of the used adapters merged), pruned to what the core modules use:
 *    interface imports keep only the functions the modules import and the
 *    types those need; unused imports are dropped; exports are kept whole;
 *  - each imported function lowered (canon lower) with the memory /
 *    realloc / string-encoding options its signature needs; lowerings that
 *    need a memory or realloc which exists only once the modules are
 *    instantiated go through wit-component's "indirect" scheme: a shim
 *    module of call_indirect trampolines over a table, instantiated first,
 *    and a fixup module that fills the table afterwards;
 *  - each export lifted (canon lift) with memory, realloc (`cabi_realloc`,
 *    or `cabi_export_realloc`), post-return (`cabi_post_<name>`) and the
 *    string encoding; an interface export is the instance of a small "shim"
 *    component that imports the lifted functions and the types (rebuilt
 *    from the world's types) and exports them under their names, as
 *    wit-component does, so every type an exported function uses is named;
 *  - the main module's `_initialize` run after everything is wired;
 *  - exported resources defined with their `<iface>#[dtor]<r>` destructor,
 *    and `[export]<iface>` `[resource-new|rep|drop]<r>` intrinsics;
 *  - adapters (name = the core import module they satisfy, e.g.
 *    `wasi_snapshot_preview1`): instantiated after the main module with its
 *    memory (`env` `memory`) and exports (`__main_module__`); when the main
 *    module has no `cabi_realloc`, a memory.grow-based one is supplied; an
 *    adapter with a `__stack_pointer` global gets a start function that
 *    allocates its stack (wit-component gc.rs does the same). An adapter is
 *    trimmed (wit-component's adapter gc): what is reachable from what is
 *    used (the exports the main module imports, canonical-ABI exports,
 *    start, table elements) stays, renumbered; the dead functions, the
 *    exports nothing uses and the imports only dead code used are removed
 *    (the component then imports what wit-component's adapter gc leaves,
 *    e.g. the same WASI interfaces as `jco new` for a C program). An
 *    adapter's lowerings whose only option is the main module's memory are
 *    lowered directly, the others that need options go through the shim;
 *  - a component-name section and a producers section naming the tool.
 * The output is validated (wk_component_validate) before it is returned.
 *
 * Core import/export names: wit-bindgen's legacy names (`$root`,
 * `[export]<iface>`, `<iface>#<func>`, `cabi_realloc`, `cabi_post_*`) and
 * the `cm32p2` (standard32) ones, which are rewritten to the legacy names
 * in the embedded module (names only).
 *
 * Not supported (WK_ERR_UNSUPPORTED or an invalid result): async
 * lifts/lowers and the async/thread/stream/future/error-context
 * intrinsics, imported tables, shared-everything linking (`component
 * link`), multiple memories. A module importing one name twice has the
 * later imports renamed (`NAME (import N)`; no function index moves).
 */
#ifndef WK_COMPOSE_CNEW_H
#define WK_COMPOSE_CNEW_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* An adapter: `name` is the core import module name it provides (e.g.
 * "wasi_snapshot_preview1"); `bytes` the adapter core module (with its
 * component-type section). Borrowed for the call. */
typedef struct wk_cnew_adapter {
  const char *name;
  const uint8_t *bytes;
  size_t len;
} wk_cnew_adapter;

typedef struct wk_cnew_opts {
  const wk_cnew_adapter *adapters;
  uint32_t nadapters;
  const char *tool;    /* producers `processed-by` name (e.g. "wcompose"); NULL = none */
  const char *version; /* its version */
  int *err_source;     /* optional out: on error, -1 when err's offset is in the main module (or
                          there is none), i when it is in adapters[i] */
  wk_buf *warnings;    /* optional out: warnings about the main module (the component is still
                          built), each one line ending in '\n'; see wk_cnew */
} wk_cnew_opts;

/*
 * Build the component for core module `core` (`len` bytes) and append its
 * binary to `out`. Deterministic: the same inputs give the same bytes.
 * Errors (`err` gets a message; byte offsets point into the core module
 * where known): WK_ERR_MALFORMED (the module or a component-type section
 * cannot be decoded), WK_ERR_INVALID (the module does not match its world:
 * a missing export or import, a signature mismatch found by validating the
 * result, an unknown import module), WK_ERR_UNSUPPORTED (see above),
 * WK_ERR_NOMEM. On error `out` may hold partial output: discard it.
 *
 * Warnings (appended to opts->warnings when set): a *command* module (it
 * exports `_start`) with a realloc export (`cabi_realloc`,
 * `cabi_import_realloc`, `cabi_export_realloc`; one warning each) that
 * begins by calling the same parameterless function `_start` begins with -- wasm-ld's command export wrappers around
 * `__wasm_call_ctors`, made when the program never calls it itself. Every
 * call of realloc then reruns the constructors (and the destructors after);
 * constructors that call imports (wasi-libc's environ and preopens do) trap,
 * because the canonical ABI clears may_leave while realloc runs
 * (CanonicalABI.md "canon lower": trap_if(not task.inst.may_leave)).
 */
int wk_cnew(const uint8_t *core, size_t len, const wk_cnew_opts *opts, wk_buf *out, wk_error *err);

#endif
