/* wcompose subcommands: each takes (argc, argv) with argv[0] = the command name and returns the
 * exit status (0 ok, 1 failed work, 2 usage error). */
#ifndef WCOMPOSE_COMPOSE_H
#define WCOMPOSE_COMPOSE_H
int wcompose_new(int argc, char **argv);
/* `wcompose oci APP.wasm -o APP.oci.tar ...` (h-oci, cmd/compose/oci.c). */
int wcompose_oci(int argc, char **argv);
int wcompose_opt(int argc, char **argv);
/* Optimize the component or module in *buf in place with binaryen at `level` ("0"-"4", "s", "z");
 * errors are printed naming `file`. Returns the exit status (0, 1, 2). (opt.c) */
struct wk_buf;
int wcompose_optimize_buf(struct wk_buf *buf, const char *level, const char *file);
/* 1 when `level` is a level wcompose_optimize_buf accepts. */
int wcompose_opt_level_ok(const char *level);
#endif
