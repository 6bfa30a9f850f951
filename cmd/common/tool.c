/* Helpers shared by every tool (tool.h). */
#include "tool.h"

#include <errno.h>
#include <string.h>

int tool_fail(const char *tool, const char *file, const wk_error *e) {
  wk_error_print(stderr, tool, file, e);
  return 1;
}

int tool_write(const char *tool, const char *path, const wk_buf *b) {
  if (b->oom) {
    fprintf(stderr, "%s: error: out of memory\n", tool);
    return 1;
  }
  wk_error e;
  wk_error_clear(&e);
  if (!path) path = "-";
  if (wk_write_file_atomic(path, b->data ? (const void *)b->data : "", b->len, &e) != WK_OK)
    return tool_fail(tool, path, &e);
  return 0;
}

int tool_flush_stdout(const char *tool) {
  errno = 0;
  if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
  fprintf(stderr, "%s: error: cannot write to stdout: %s\n", tool, errno ? strerror(errno) : "write error");
  return 1;
}
