/*
 * examples/greeter/greeter.c — the library component of the built-in example:
 * implements example:greeter/greet (bindings from `wit-gen c --world greeter`).
 * It prints through its own WASI stdout; in the composed component that is the
 * same wasi:cli/stdout import the app uses, granted by the host.
 */
#include <ctype.h>
#include <stdio.h>

#include "greeter.h"

void exports_example_greeter_greet_greet(greeter_string_t *name, greeter_string_t *text,
                                         exports_example_greeter_greet_stats_t *ret) {
  uint32_t lines = 0, words = 0;
  int in_word = 0;
  for (size_t i = 0; i < text->len; i++) {
    if (text->ptr[i] == '\n') lines++;
    if (isspace(text->ptr[i])) in_word = 0;
    else if (!in_word) { in_word = 1; words++; }
  }
  printf("greeter: Hello, %.*s!\n", (int)name->len, (const char *)name->ptr);
  fflush(stdout);
  ret->lines = lines;
  ret->words = words;
  greeter_string_free(name);
  greeter_string_free(text);
}
