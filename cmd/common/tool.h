/*
 * Helpers every tool in cmd/ shares (linked into each of them by the
 * Makefile): one copy of "write the output, or say why not" instead of a
 * file-static copy per tool. Messages follow the tool convention
 * `TOOL: error: FILE[:OFFSET]: message`.
 */
#ifndef WK_CMD_TOOL_H
#define WK_CMD_TOOL_H
#include <stdio.h>

#include "base/base.h"

/* Print `e` as "TOOL: error: FILE: msg" and return 1 (the exit code of failed work). */
int tool_fail(const char *tool, const char *file, const wk_error *e);

/*
 * Write `b` to `path` atomically (lib/base wk_write_file_atomic), or to
 * stdout when `path` is NULL or "-". A buffer that ran out of memory is
 * not written. Returns the exit code: 0, or 1 with the error printed.
 */
int tool_write(const char *tool, const char *path, const wk_buf *b);

/*
 * Flush stdout and check that everything printed to it was written (a full disk, a closed
 * pipe: what printf-style output would lose silently). Returns 0, or 1 with
 * "TOOL: error: cannot write to stdout: REASON" printed, as tool_write reports its failures.
 */
int tool_flush_stdout(const char *tool);

#endif
