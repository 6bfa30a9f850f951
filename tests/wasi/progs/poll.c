/* poll_oneoff: fd readiness (stdin from a regular file is readable, stdout is
 * writable) and a clock subscription timing out when nothing is ready. */
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <wasi/api.h>
int main(void) {
  struct pollfd p[2] = {{0, POLLIN, 0}, {1, POLLOUT, 0}};
  int r = poll(p, 2, 1000);
  printf("poll ready=%d stdin_in=%d stdout_out=%d\n", r, !!(p[0].revents & POLLIN), !!(p[1].revents & POLLOUT));
  /* a lone 30ms relative clock */
  __wasi_subscription_t sub = {0};
  sub.userdata = 77;
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub.u.u.clock.timeout = 30000000;
  __wasi_event_t ev[1];
  __wasi_size_t n = 0;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  __wasi_errno_t e = __wasi_poll_oneoff(&sub, ev, 1, &n);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long ms = (b.tv_sec - a.tv_sec) * 1000LL + (b.tv_nsec - a.tv_nsec) / 1000000;
  printf("clock: errno=%d n=%u userdata=%llu type=%d waited>=30ms=%d\n", e, (unsigned)n,
         (unsigned long long)ev[0].userdata, ev[0].type, ms >= 30);
  /* two clocks: the earlier fires */
  __wasi_subscription_t s2[2] = {sub, sub};
  s2[0].userdata = 1; s2[0].u.u.clock.timeout = 500000000;
  s2[1].userdata = 2; s2[1].u.u.clock.timeout = 10000000;
  e = __wasi_poll_oneoff(s2, ev, 2, &n);
  printf("two clocks: errno=%d n=%u first=%llu\n", e, (unsigned)n, (unsigned long long)ev[0].userdata);
  return 0;
}
