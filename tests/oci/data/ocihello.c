/* Guest for tests/oci/suite-ociruntime.sh (wrun as an OCI runtime): prints its argv, the GREETING
 * environment variable and the file /data/msg.txt (a bind mount in the bundle's config.json),
 * then, by its first argument:
 *   exit N    exit with status N
 *   write F   also write "written" to F (a read-only mount must refuse it: exit 3)
 *   spin      loop until killed (the runtime's kill command)
 *   open F    exit 4 when F can be opened (a path that must not be visible) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  printf("argv0=%s argc=%d\n", argv[0], argc);
  const char *g = getenv("GREETING");
  printf("GREETING=%s\n", g ? g : "(unset)");
  FILE *f = fopen("/data/msg.txt", "r");
  if (f) {
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    printf("msg=%s", buf);
  } else printf("msg=(none)\n");
  fflush(stdout);
  if (argc > 2 && !strcmp(argv[1], "exit")) return atoi(argv[2]);
  if (argc > 2 && !strcmp(argv[1], "write")) {
    FILE *w = fopen(argv[2], "w");
    if (!w) { printf("write refused\n"); return 3; }
    fputs("written\n", w);
    fclose(w);
    printf("wrote %s\n", argv[2]);
    return 0;
  }
  if (argc > 2 && !strcmp(argv[1], "open")) {
    FILE *o = fopen(argv[2], "r");
    if (o) { printf("opened %s\n", argv[2]); fclose(o); return 4; }
    printf("cannot open %s\n", argv[2]);
    return 0;
  }
  if (argc > 1 && !strcmp(argv[1], "spin")) {
    volatile unsigned long x = 0;
    for (;;) x++;
  }
  return 0;
}
