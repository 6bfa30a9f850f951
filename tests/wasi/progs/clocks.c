/* Clocks: realtime is plausible, monotonic does not go back, a 20ms sleep
 * (poll_oneoff with a clock subscription) takes >= 20ms, resolutions > 0. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>
static long long ns(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
int main(void) {
  long long rt = ns(CLOCK_REALTIME);
  printf("realtime after 2020: %s\n", rt > 1577836800LL * 1000000000LL ? "yes" : "no");
  long long m0 = ns(CLOCK_MONOTONIC);
  struct timespec d = {0, 20 * 1000000};
  nanosleep(&d, NULL);
  long long m1 = ns(CLOCK_MONOTONIC);
  printf("monotonic advanced >= 20ms: %s\n", m1 - m0 >= 20000000LL ? "yes" : "no");
  printf("slept < 2s: %s\n", m1 - m0 < 2000000000LL ? "yes" : "no");
  usleep(1000);
  printf("monotonic non-decreasing: %s\n", ns(CLOCK_MONOTONIC) >= m1 ? "yes" : "no");
  struct timespec r;
  printf("monotonic res > 0: %s\n", clock_getres(CLOCK_MONOTONIC, &r) == 0 && (r.tv_sec || r.tv_nsec) ? "yes" : "no");
  printf("time() plausible: %s\n", time(NULL) > 1577836800 ? "yes" : "no");
  return 0;
}
