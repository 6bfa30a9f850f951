/*
 * The scratch tree the WASI sandbox unit tests preopen (test_wasi.c for preview1, test_wasi2.c for
 * WASI 0.2): ROOT with a.txt ("hello"), sub/, and the ways out a guest must not take -- abs -> /etc,
 * up -> .., sub/up2 -> ../../ -- beside ones that stay inside (insub -> sub, ln -> a.txt); and
 * ROOT.out ("secret") next to it, which must stay unreachable. Header only (static inline): each
 * tests/unit/test_*.c is its own program.
 */
#ifndef WK_TESTS_UNIT_SANDBOX_TREE_H
#define WK_TESTS_UNIT_SANDBOX_TREE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* makes the tree at /tmp/<tag>-<pid> (its path to root[0..rootsz), ROOT.out's to outside) */
static inline void sandbox_tree_make(const char *tag, char *root, size_t rootsz, char *outside, size_t outsz) {
  snprintf(root, rootsz, "/tmp/%s-%d", tag, (int)getpid());
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "rm -rf %s %s.out && mkdir -p %s/sub && echo secret > %s.out && echo hello > %s/a.txt && "
           "ln -s /etc %s/abs && ln -s .. %s/up && ln -s sub %s/insub && ln -s ../../ %s/sub/up2 && "
           "ln -s a.txt %s/ln",
           root, root, root, root, root, root, root, root, root, root);
  assert_int_equal(system(cmd), 0);
  snprintf(outside, outsz, "%s.out", root);
}

/* removes the tree and ROOT.out: system()'s status */
static inline int sandbox_tree_remove(const char *root) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "rm -rf %s %s.out", root, root);
  return system(cmd);
}

#endif
