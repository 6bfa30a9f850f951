/*
 * examples/greeter/app.c — the command component of the built-in example
 * (examples/run.sh): reads a text file from a preopened directory, passes it
 * and $NAME to the greeter component (imported as example:greeter/greet),
 * which greets and counts, then prints the counts and writes a report next to
 * the input. It sees only what wrun grants: the preopened directory and the
 * --env variables. Bindings: `wit-gen c --world app`.
 *
 * Why greet returns numbers rather than a string: a string result would be
 * written into this module's memory through its exported cabi_realloc, and
 * wasm-ld wraps every export of a command module so that it first runs the C
 * constructors; wasi-libc's constructors call WASI imports, which the
 * canonical ABI forbids inside realloc (CanonicalABI.md, LiftLowerContext
 * reallocate: may_leave is cleared), so the call would trap. Reactor modules
 * (the greeter) have no such wrappers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

int main(int argc, char **argv) {
  const char *in = argc > 1 ? argv[1] : "/work/greeting.txt";
  const char *name = getenv("NAME");
  FILE *f = fopen(in, "r");
  if (!f) {
    fprintf(stderr, "app: cannot open %s: %s (did you pass --dir?)\n", in, strerror(errno));
    return 1;
  }
  char text[4096];
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = 0;
  fclose(f);

  app_string_t who, body;
  app_string_set(&who, name ? name : "stranger");
  app_string_set(&body, text);
  example_greeter_greet_stats_t stats;
  example_greeter_greet_greet(&who, &body, &stats); /* a call into the other component */
  printf("app: %s has %u lines and %u words\n", in, stats.lines, stats.words);

  char out[512];
  snprintf(out, sizeof out, "%s.report", in);
  f = fopen(out, "w");
  if (!f) {
    fprintf(stderr, "app: cannot write %s: %s\n", out, strerror(errno));
    return 1;
  }
  fprintf(f, "greeted %s; %u lines, %u words\n", name ? name : "nobody", stats.lines, stats.words);
  if (fclose(f)) return 1;
  printf("wrote %s\n", out);
  return 0;
}
