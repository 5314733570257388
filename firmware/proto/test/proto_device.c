/*
 * proto_device: a small POSIX program that speaks the inas serial protocol on stdin/stdout with a file-backed NVM,
 * built from the same firmware/proto/inas_proto.c as the firmware. It exercises the protocol (loader, run queue,
 * every event line) without the inference engine, for the protocol tests and the virtual board's self-test.
 *
 * Its "inference" is a checksum network: layer l computes the CRC-32 of slice l of the model image; the logits are
 * the low 15 bits of each layer CRC (class = first maximum). Deterministic, so the host can recompute it.
 *
 *   proto_device --nvm FILE [--layers N] [--fail-after-writes N] [--fail-every-layers N]
 *
 * --fail-after-writes N : power fails in the middle of the N-th NVM write (half of it lands), exit status 3.
 * --fail-every-layers N : a checkpoint after every N layers: prints OFF and exits with status 3 (the board restarts it).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../inas_proto.h"

#define NVM_BYTES (1024UL * 1024UL)
#define RECORD_ADDR 0UL
#define PROGRESS_ADDR ((unsigned long)INAS_PROTO_RECORD_BYTES) /* just above the protocol record */
#define IMAGE_ADDR (PROGRESS_ADDR + 128UL)
#define EXIT_POWER_FAIL 3

static int nvm_fd = -1;
static long fail_after_writes = -1;
static long nvm_writes = 0;
static uint8_t rx_fifo[4096];
static size_t rx_head, rx_tail;

static void die(const char *what)
{
  fprintf(stderr, "proto_device: %s: %s\n", what, strerror(errno));
  exit(2);
}

void inas_proto_port_uart_write(const uint8_t *data, uint16_t len)
{
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(STDOUT_FILENO, data + done, len - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      exit(0); /* host side gone */
    }
    done += (size_t)n;
  }
}

static void fill_rx(int timeout_ms)
{
  struct pollfd p;
  ssize_t n;
  if (rx_head != rx_tail) return;
  p.fd = STDIN_FILENO;
  p.events = POLLIN;
  if (poll(&p, 1, timeout_ms) <= 0) return;
  n = read(STDIN_FILENO, rx_fifo, sizeof rx_fifo);
  if (n == 0) exit(0); /* EOF: the board closed the line */
  if (n < 0) return;
  rx_head = 0;
  rx_tail = (size_t)n;
}

uint8_t inas_proto_port_uart_read(uint8_t *byte)
{
  fill_rx(0);
  if (rx_head == rx_tail) return 0;
  *byte = rx_fifo[rx_head++];
  return 1;
}

void inas_proto_port_nvm_write(uint32_t addr, const uint8_t *data, uint16_t len)
{
  nvm_writes++;
  if (fail_after_writes >= 0 && nvm_writes == fail_after_writes) {
    /* Torn write: half of it lands, then the power is gone. */
    if (pwrite(nvm_fd, data, len / 2u, (off_t)addr) < 0) die("nvm write");
    exit(EXIT_POWER_FAIL);
  }
  if (pwrite(nvm_fd, data, len, (off_t)addr) != (ssize_t)len) die("nvm write");
}

uint16_t inas_proto_port_image_committed(uint32_t size, uint32_t crc32)
{
  (void)size;
  (void)crc32;
  return 0;
}

void inas_proto_port_image_invalidated(void) {}

void inas_proto_port_nvm_read(uint32_t addr, uint8_t *data, uint16_t len)
{
  ssize_t n = pread(nvm_fd, data, len, (off_t)addr);
  if (n < 0) die("nvm read");
  if ((size_t)n < len) memset(data + n, 0xFF, len - (size_t)n);
}

static uint32_t ticks_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint32_t)((uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL);
}

/* Per-inference progress (layer reached, ticks and cycles so far) in NVM, so a checkpoint resumes. */
typedef struct {
  uint32_t inf, layer, ticks_total, cycles_total, writes;
  uint32_t layer_crc[16];
} progress_t;

static void progress_load(progress_t *p, uint32_t inf)
{
  inas_proto_port_nvm_read(PROGRESS_ADDR, (uint8_t *)p, sizeof *p);
  if (p->inf != inf || p->layer > 16u) {
    memset(p, 0, sizeof *p);
    p->inf = inf;
  }
}

static void progress_save(const progress_t *p)
{
  inas_proto_port_nvm_write(PROGRESS_ADDR, (const uint8_t *)p, sizeof *p);
}

int main(int argc, char **argv)
{
  const char *nvm_path = NULL;
  uint32_t layers = 4, fail_every_layers = 0;
  uint32_t boot_t0 = ticks_us();
  inas_proto_cfg_t cfg;
  int i;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--nvm") == 0 && i + 1 < argc) nvm_path = argv[++i];
    else if (strcmp(argv[i], "--layers") == 0 && i + 1 < argc) layers = (uint32_t)strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--fail-after-writes") == 0 && i + 1 < argc) fail_after_writes = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--fail-every-layers") == 0 && i + 1 < argc) fail_every_layers = (uint32_t)strtoul(argv[++i], NULL, 10);
    else {
      fprintf(stderr, "usage: proto_device --nvm FILE [--layers N] [--fail-after-writes N] [--fail-every-layers N]\n");
      return 2;
    }
  }
  if (nvm_path == NULL || layers == 0u || layers > 16u) {
    fprintf(stderr, "proto_device: --nvm FILE is required and --layers must be 1..16\n");
    return 2;
  }
  nvm_fd = open(nvm_path, O_RDWR | O_CREAT, 0644);
  if (nvm_fd < 0) die(nvm_path);

  cfg.record_addr = RECORD_ADDR;
  cfg.image_addr = IMAGE_ADDR;
  cfg.image_capacity_bytes = NVM_BYTES - IMAGE_ADDR;
  cfg.fw_crc = 0x50524F54UL; /* "PROT" */
  cfg.tick_hz = 1000000UL;
  cfg.version = "proto-device";
  cfg.digest = "0000000000000000000000000000000000000000000000000000000000000000";
  inas_proto_boot(&cfg);

  for (;;) {
    uint32_t inf, l, cycles_this_boot = 0;
    progress_t p;
    inas_proto_service();
    if (inas_proto_runs_pending() == 0u) {
      fill_rx(50);
      continue;
    }
    inf = inas_proto_inferences_done();
    progress_load(&p, inf);
    if (p.layer == 0u && p.cycles_total == 0u) inas_evt_inf(inf, inf % 4u);
    p.cycles_total++;
    for (l = p.layer; l < layers; l++) {
      uint32_t size = inas_proto_image_size(), lo = size * l / layers, hi = size * (l + 1u) / layers;
      uint32_t t0 = ticks_us(), state = 0xFFFFFFFFUL, off;
      uint8_t b[64];
      inas_evt_ls(inf, l, 0, ticks_us() - boot_t0);
      for (off = lo; off < hi; off += sizeof b) {
        uint16_t n = (uint16_t)((hi - off) < sizeof b ? (hi - off) : sizeof b);
        inas_proto_port_nvm_read(IMAGE_ADDR + off, b, n);
        state = inas_crc32_update(state, b, n);
      }
      p.layer_crc[l] = ~state;
      p.ticks_total += ticks_us() - t0 + 1u;
      p.layer = l + 1u;
      p.writes++;
      inas_evt_layer(inf, l, ticks_us() - boot_t0, ticks_us() - t0 + 1u, 1u); /* each layer fits in one power cycle here */
      cycles_this_boot++;
      if (fail_every_layers != 0u && cycles_this_boot >= fail_every_layers && l + 1u < layers) {
        progress_save(&p);
        inas_evt_off(ticks_us() - boot_t0, l + 1u, "checkpoint");
        return EXIT_POWER_FAIL;
      }
    }
    {
      int16_t logits[16];
      uint32_t best = 0;
      for (l = 0; l < layers; l++) {
        logits[l] = (int16_t)(p.layer_crc[l] & 0x7FFFu);
        if (logits[l] > logits[best]) best = l;
      }
      inas_evt_result(inf, inf % 4u, best, logits, (uint16_t)layers);
      inas_evt_total(inf, p.ticks_total, p.cycles_total, p.writes);
    }
    memset(&p, 0, sizeof p);
    p.inf = inf + 1u;
    progress_save(&p);
    inas_proto_run_done();
    if (inas_proto_runs_pending() == 0u) inas_evt_idle(inas_proto_inferences_done());
  }
}
