/* A WASI reactor (built with -mexec-model=reactor: no _start, an
 * _initialize that sets up wasi-libc) exporting a function that uses stdio
 * and the environment: `wrun --env WHO=... --invoke greet reactor.wasm 5`. */
#include <stdio.h>
#include <stdlib.h>
static int counter = 10;
__attribute__((export_name("greet"))) int greet(int n) {
  const char *who = getenv("WHO");
  printf("hello %s x%d\n", who ? who : "nobody", n);
  fflush(stdout);
  return counter + n;
}
