/* wit-gen internals: one file per subcommand, dispatched from main.c. */
#ifndef WK_WITGEN_H
#define WK_WITGEN_H
#include "witparse/witparse.h"

#define WITGEN "wit-gen"

/* Options shared by the subcommands that read WIT. */
typedef struct witgen_input {
  const char *path;   /* file or directory */
  const char *output; /* -o FILE, or NULL/"-" for stdout */
  int all_features;
  int time; /* --time: report parse+resolve wall time on stderr */
  const char *features[64];
  int n_features;
} witgen_input;

/* The --help lines of the options witgen_common_opt parses (for "read WIT, print something" commands). */
void witgen_usage_options(FILE *out);
/* Parse a common option at argv[*i] into `in`. Returns 1 if consumed, 0 if not
 * an input option, -1 on a usage error (message printed). */
int witgen_common_opt(witgen_input *in, int argc, char **argv, int *i);
/* Load in->path into a new resolve; prints the diagnostic on failure (returns NULL).
 * Consumes (frees) in->features. */
wit_resolve *witgen_load(witgen_input *in, wit_id *main_pkg);
/* Write `b` to in->output (atomically) or stdout. Returns the exit code. */
int witgen_write(const witgen_input *in, wk_buf *b);

/* A printer of a loaded Resolve into `b` (WK_OK or an error code with `e` set). */
typedef int (*witgen_emit_fn)(const wit_resolve *r, wit_id main_pkg, wk_buf *b, wk_error *e);
/* The whole of a "read WIT, print something" subcommand: parse the common
 * options (`usage` for --help and for a missing PATH), load, emit, write.
 * `sub` names the subcommand in messages. When `emit_binary` is not NULL the
 * subcommand also takes --wasm: that emitter is used instead, and its binary
 * output is refused on a terminal stdout (as wasm-tools does). Returns the
 * exit code (0, 1, 2). */
int witgen_run_printer(int argc, char **argv, const char *sub, void (*usage)(FILE *), witgen_emit_fn emit,
                       witgen_emit_fn emit_binary);

int witgen_cmd_json(int argc, char **argv);
int witgen_cmd_wit(int argc, char **argv);
int witgen_cmd_c(int argc, char **argv);     /* c.c: C bindings (lib/bindgen) */
int witgen_cmd_embed(int argc, char **argv); /* embed.c: component-type section into a core module */

#endif
