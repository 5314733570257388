/*
 * board_host.c: main() of the virtual board (make -C firmware board; served by `inas board --virtual`). The host
 * simulator (hal/host) runs the engine with power failures from the energy model; the UART is stdin/stdout and
 * speaks the protocol (inas_proto.h): BOOT at every power-up, the model image arrives over the line (LDB/LDC/LDE),
 * RUN queues inferences. A power failure prints OFF, sleeps the simulated recharge time × --time-scale (input
 * arriving meanwhile is lost, as on a board that is off) and boots again. The NVM is saved to --nvm at exit and on
 * SIGTERM. Host-only (POSIX); not part of an MSP430 build.
 *
 *   inas_board --nvm FILE [--failures none|energy|every-cycles:N|every-writes:N|at:K] [--torn] [--policy greedy|batch]
 *              [--time-scale X] [--charge-boot]
 * every-writes:N fails at every N-th counted NVM write; at:K fails once, at the K-th counted NVM write (the
 * boot-time image check is not counted, unless --charge-boot: then its NVM reads and writes are charged and counted
 * like the engine's, and power failures can cut it). Whenever it waits for
 * commands with changed counters, the simulator's counters go to stderr as one line:
 * `inas_board: nvm_writes=<n> power_failures=<n>`.
 */
#if !defined(__MSP430__)
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host/hal_host.h"
#include "hal.h"
#include "engine.h"
#include "nvm.h"
#include "model.h"
#include "golden.h"
#include "costs.h"
#include "inas_proto.h"
#include "events_proto.h"
#include "board_loop.h"

/* The model's NVM plan ends at INAS_NVM_SIZE_BYTES; the protocol record lives just above it. */
#define BOARD_NVM_BYTES (INAS_NVM_SIZE_BYTES + INAS_PROTO_RECORD_BYTES)

static jmp_buf g_boot;
static const char *g_nvm_path;
static double g_time_scale = 1.0;
static volatile sig_atomic_t g_stop;
static uint8_t g_rx[4096];
static size_t g_rx_head, g_rx_tail;

static void save_nvm(void)
{
  char tmp[4096];
  FILE *f;
  if (g_nvm_path == NULL) return;
  snprintf(tmp, sizeof tmp, "%s.tmp", g_nvm_path);
  f = fopen(tmp, "wb");
  if (f == NULL || fwrite(inas_host_nvm(), 1u, BOARD_NVM_BYTES, f) != BOARD_NVM_BYTES || fclose(f) != 0 ||
      rename(tmp, g_nvm_path) != 0) {
    fprintf(stderr, "inas_board: cannot write NVM file %s\n", g_nvm_path);
  }
}

static void on_signal(int sig)
{
  (void)sig;
  g_stop = 1;
}

/* ---- port of firmware/proto ---- */
void inas_proto_port_uart_write(const uint8_t *data, uint16_t len)
{
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(STDOUT_FILENO, data + done, len - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      save_nvm();
      exit(0);
    }
    done += (size_t)n;
  }
}

static void fill_rx(int timeout_ms)
{
  struct pollfd p;
  ssize_t n;
  if (g_rx_head != g_rx_tail) return;
  p.fd = STDIN_FILENO;
  p.events = POLLIN;
  if (poll(&p, 1, timeout_ms) <= 0) return;
  n = read(STDIN_FILENO, g_rx, sizeof g_rx);
  if (n == 0) {
    g_stop = 1;
    return;
  }
  if (n < 0) return;
  g_rx_head = 0;
  g_rx_tail = (size_t)n;
}

uint8_t inas_proto_port_uart_read(uint8_t *byte)
{
  fill_rx(0);
  if (g_rx_head == g_rx_tail) return 0;
  *byte = g_rx[g_rx_head++];
  return 1;
}

/* ---- board loop hooks (board_loop.h) ---- */
uint8_t inas_board_port_stop(void) { return g_stop ? 1u : 0u; }
void inas_board_port_idle(void)
{
  /* The simulator's counters, once per change, for tests and logs (`inas board --virtual` prints the board's stderr). */
  static uint64_t last_writes = ~(uint64_t)0;
  const inas_host_stats_t *s = inas_host_stats();
  if (s->nvm_writes != last_writes) {
    last_writes = s->nvm_writes;
    fprintf(stderr, "inas_board: nvm_writes=%llu power_failures=%llu\n", (unsigned long long)s->nvm_writes,
            (unsigned long long)s->power_failures);
    fflush(stderr);
  }
  fill_rx(50);
}
void inas_board_port_quiet(uint8_t quiet) { inas_host_quiet(quiet); }

/* ---- power ---- */
static void sleep_s(double s)
{
  struct timespec ts;
  if (!(s > 0.0)) return;
  ts.tv_sec = (time_t)s;
  ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !g_stop) {
  }
}

static void power_fail(void)
{
  inas_proto_events_power_lost(inas_hal_ticks(), "brownout");
  longjmp(g_boot, 1);
}

static void usage(void)
{
  fprintf(stderr, "usage: inas_board --nvm FILE [--failures none|energy|every-cycles:N|every-writes:N|at:K] [--torn] [--policy greedy|batch] [--time-scale X] [--charge-boot]\n");
  exit(2);
}

int main(int argc, char **argv)
{
  inas_host_profile_t prof = INAS_HOST_PROFILE;
  inas_host_failures_t fail;
  inas_proto_cfg_t cfg;
  const char *failures = "energy";
  volatile int after_outage = 0;
  int i;
  struct sigaction sa;

  memset(&fail, 0, sizeof fail);
  fail.policy = INAS_POLICY_GREEDY;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--nvm") && v) g_nvm_path = v, i++;
    else if (!strcmp(a, "--failures") && v) failures = v, i++;
    else if (!strcmp(a, "--time-scale") && v) g_time_scale = strtod(v, NULL), i++;
    else if (!strcmp(a, "--torn")) fail.torn = 1;
    else if (!strcmp(a, "--charge-boot")) inas_board_charge_boot = 1u;
    else if (!strcmp(a, "--policy") && v) {
      if (!strcmp(v, "greedy")) fail.policy = INAS_POLICY_GREEDY;
      else if (!strcmp(v, "batch")) fail.policy = INAS_POLICY_BATCH;
      else usage();
      i++;
    } else usage();
  }
  if (!strcmp(failures, "none")) fail.mode = INAS_FAIL_NONE;
  else if (!strcmp(failures, "energy")) fail.mode = INAS_FAIL_ENERGY;
  else if (!strncmp(failures, "every-cycles:", 13)) fail.mode = INAS_FAIL_EVERY_CYCLES, fail.n = strtoull(failures + 13, NULL, 10);
  else if (!strncmp(failures, "every-writes:", 13)) fail.mode = INAS_FAIL_EVERY_WRITES, fail.n = strtoull(failures + 13, NULL, 10);
  else if (!strncmp(failures, "at:", 3)) fail.mode = INAS_FAIL_AT_WRITE, fail.n = strtoull(failures + 3, NULL, 10);
  else usage();
  if ((fail.mode == INAS_FAIL_EVERY_CYCLES || fail.mode == INAS_FAIL_EVERY_WRITES || fail.mode == INAS_FAIL_AT_WRITE) && fail.n == 0u) usage();

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  if (inas_host_init(BOARD_NVM_BYTES, NULL, &prof) != 0) return 1;
  if (g_nvm_path) {
    FILE *f = fopen(g_nvm_path, "rb");
    if (f) {
      if (fread(inas_host_nvm(), 1u, BOARD_NVM_BYTES, f) != BOARD_NVM_BYTES) memset(inas_host_nvm(), 0, BOARD_NVM_BYTES);
      fclose(f);
    }
  }
  inas_host_set_failures(&fail);
  inas_host_on_power_fail(power_fail);

  inas_board_cfg(&cfg, (uint32_t)prof.clock_hz);

  if (setjmp(g_boot) != 0) after_outage = 1;
  if (g_stop) {
    save_nvm();
    return 0;
  }
  {
    /* Off: the recharge the simulator accounts for, in (scaled) real time; bytes sent meanwhile are lost. */
    double off0 = inas_host_stats()->off_time_s;
    inas_host_power_up(after_outage);
    if (after_outage) {
      sleep_s((inas_host_stats()->off_time_s - off0) * g_time_scale);
      g_rx_head = g_rx_tail = 0;
      while (!g_stop) {
        struct pollfd p;
        p.fd = STDIN_FILENO;
        p.events = POLLIN;
        if (poll(&p, 1, 0) <= 0 || read(STDIN_FILENO, g_rx, sizeof g_rx) <= 0) break;
      }
    }
  }
  {
    const inas_status_t st = inas_board_run(&cfg);
    save_nvm();
    return st == INAS_OK ? 0 : 1;
  }
}
#else
typedef int inas_board_host_unused_t; /* MSP430 builds: this file is host-only */
#endif
