/* wcompose subcommands: each takes (argc, argv) with argv[0] = the command name and returns the
 * exit status (0 ok, 1 failed work, 2 usage error). */
#ifndef WCOMPOSE_COMPOSE_H
#define WCOMPOSE_COMPOSE_H
int wcompose_new(int argc, char **argv);
/* `wcompose oci APP.wasm -o APP.oci.tar ...` (h-oci, cmd/compose/oci.c). */
int wcompose_oci(int argc, char **argv);
#endif
