/* wcompose subcommands that compose components (plug, dependencies, WAC). */
#ifndef WCOMPOSE_COMPOSE_CMDS_H
#define WCOMPOSE_COMPOSE_CMDS_H
#include <stdio.h>

/* `wcompose plug --plug A.wasm ... SOCKET.wasm -o OUT` (argv[0] = "plug"). */
int wcompose_plug(int argc, char **argv);
/* `wcompose MAIN.wasm DEP.wasm ... -o OUT` (argv[0] = MAIN.wasm's position - 1, i.e. the program). */
int wcompose_deps(int argc, char **argv);
/* `wcompose compose FILE.wac --dep ns:name=PATH ... -o OUT` (argv[0] = "compose"). */
int wcompose_wac(int argc, char **argv);
/* Usage lines of the three, for the dispatcher's --help. */
void wcompose_compose_usage(FILE *out);

#endif
