/* Helpers shared by every tool (tool.h). */
#include "tool.h"

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
