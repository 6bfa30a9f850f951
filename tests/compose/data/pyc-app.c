/*
 * tests/compose/data/pyc-app.c — a C reactor component that imports demo:py/greet (the Python
 * greeter, ../shared/python) and exports demo:app/hello (pyc-app.wit): greet calls Python's
 * greet and wraps its answer. bench/opt-composed.sh plugs py-greeter into it: a Python + C
 * composition for `wcompose opt --dce` (tests/compose/suite-opt.sh, bench/opt.sh).
 */
#include <stdio.h>

#include "capp.h"

void exports_demo_app_hello_greet(capp_string_t *name, capp_string_t *ret) {
  capp_string_t py;
  demo_py_greet_greet(name, &py);
  char buf[512];
  int n = snprintf(buf, sizeof buf, "[C] %.*s [%zu bytes]", (int)py.len, (const char *)py.ptr, py.len);
  capp_string_free(&py);
  capp_string_free(name);
  capp_string_dup_n(ret, buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}
