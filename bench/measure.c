/*
 * measure — run a command N times in sequence and report, per run, its wall
 * time, CPU time and peak RSS, read from the kernel (wait4's rusage of the
 * child, which includes all its threads; CLOCK_MONOTONIC around fork..wait).
 *
 *   measure [-n N] [-o FILE] [-e FILE] [-d DIR] -- COMMAND [ARGS...]
 *
 * -o/-e: the child's stdout/stderr (default /dev/null; with N > 1 each run
 * truncates it). -d: the child's working directory. Output, one line per run:
 *   wall_us user_us sys_us maxrss_kib exit_status
 * exit_status is the exit code, or 128 + signal. measure exits 0 when every
 * run exited 0, 1 otherwise, 2 on usage or system errors.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static long long tv_us(struct timeval tv) { return (long long)tv.tv_sec * 1000000 + tv.tv_usec; }

int main(int argc, char **argv) {
  int n = 1, i = 1;
  const char *out = "/dev/null", *errf = "/dev/null", *dir = NULL;
  for (; i < argc; i++) {
    if (!strcmp(argv[i], "--")) { i++; break; }
    if (i + 1 >= argc) break;
    if (!strcmp(argv[i], "-n")) n = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-o")) out = argv[++i];
    else if (!strcmp(argv[i], "-e")) errf = argv[++i];
    else if (!strcmp(argv[i], "-d")) dir = argv[++i];
    else break;
  }
  if (i >= argc || n < 1) {
    fprintf(stderr, "usage: measure [-n N] [-o FILE] [-e FILE] [-d DIR] -- COMMAND [ARGS...]\n");
    return 2;
  }
  int bad = 0;
  for (int r = 0; r < n; r++) {
    long long t0 = now_us();
    pid_t pid = fork();
    if (pid < 0) { perror("measure: fork"); return 2; }
    if (pid == 0) {
      int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), fe = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int fi = open("/dev/null", O_RDONLY);
      if (fo < 0 || fe < 0 || fi < 0) _exit(125);
      dup2(fi, 0), dup2(fo, 1), dup2(fe, 2);
      if (dir && chdir(dir)) _exit(125);
      execvp(argv[i], argv + i);
      _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0) { perror("measure: wait4"); return 2; }
    long long wall = now_us() - t0;
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (code) bad = 1;
    printf("%lld %lld %lld %ld %d\n", wall, tv_us(ru.ru_utime), tv_us(ru.ru_stime), ru.ru_maxrss, code);
    fflush(stdout);
  }
  return bad;
}
