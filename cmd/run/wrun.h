/* wrun internals shared between main.c (core modules) and component.c (components). */
#ifndef WRUN_H
#define WRUN_H
#include <stddef.h>
#include <stdint.h>

#include "interp/interp.h"
#include "wasi/wasi.h"

typedef struct wrun_comp_opts {
  const char *file;
  const char *invoke;     /* "name(args)" in WAVE, or NULL: run wasi:cli/run */
  int trap_unknown;       /* --trap-unknown-imports */
  int has_fuel;
  uint64_t fuel, timeout_ns;
  const char *fuel_s, *timeout_s, *max_memory_s, *max_stack_s;
} wrun_comp_opts;

/*
 * Run component `bytes` (Binary.md layer 1): link the WASI 0.2 host
 * (lib/wasi) into a component linker, instantiate, then call the
 * `wasi:cli/run@0.2.x#run` export or, with o->invoke, the named export with
 * WAVE arguments, printing its result in WAVE. Returns the process exit
 * status (the guest's exit code; 134 on a trap; 1 on errors; 2 on usage).
 */
int wrun_component(wk_engine *e, wk_wasi *w, const uint8_t *bytes, size_t len, const wrun_comp_opts *o);

#endif
