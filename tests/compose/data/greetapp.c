/*
 * tests/compose/data/greetapp.c — a preview1 command whose main module imports a WIT function that
 * needs indirect lowering (example:greeter/greet: strings in and out → memory + realloc options,
 * lowered through the shim and fixup modules) next to the preview1 adapter's imports. It opens a
 * file (so wasi-libc's preopen constructors run from every export, cabi_realloc included) and
 * then calls the import. suite-new.sh builds it with `wit-gen c --world app` bindings.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app.h"

int main(int argc, char **argv) {
  const char *in = argc > 1 ? argv[1] : "/work/x";
  FILE *f = fopen(in, "r");
  char text[256] = "";
  if (f) {
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    printf("read %zu bytes\n", n);
  } else printf("cannot open %s: %s\n", in, strerror(errno));
  fflush(stdout);
  app_string_t who, body, greeting;
  app_string_set(&who, "tester");
  app_string_set(&body, text);
  example_greeter_greet_greet(&who, &body, &greeting);
  printf("%.*s\n", (int)greeting.len, (const char *)greeting.ptr);
  return 0;
}
