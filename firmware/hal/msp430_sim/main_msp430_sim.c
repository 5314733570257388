/*
 * Firmware entry for mspdebug's simulator: boot the engine (it rebuilds its state from NVM, so this is also the
 * recovery path after an injected reset), run until INAS_SIM_INFERENCES inferences are committed, print the
 * runner's counters as one line
 *   INAS SIM boots=<n> tiles=<n> schedule=<tiles per inference> commits=<n> nvm_reads=<n> nvm_read_bytes=<n>
 *            nvm_writes=<n> nvm_write_bytes=<n> torn=<n> status=<n> ticks=<cycles since this boot>
 * and stop at inas_sim_halt with the status in R12. Once finished, a later reset stops again at once (the committed
 * counter already reached the target) after printing the line again.
 */
#include <stdint.h>

#include "engine.h"
#include "hal.h"
#include "hal_sim.h"
#include "platform.h"

#ifndef INAS_SIM_INFERENCES
#define INAS_SIM_INFERENCES 1u
#endif

static void put_str(const char *s) { inas_platform_puts(s); }

static void put_u32(uint32_t v) {
  char buf[11];
  uint8_t i = (uint8_t)sizeof buf;
  do {
    buf[--i] = (char)('0' + (v % 10u));
    v /= 10u;
  } while (v != 0u);
  inas_hal_uart_write((const uint8_t *)&buf[i], (uint16_t)(sizeof buf - i));
}

static void put_field(const char *name, uint32_t v) {
  put_str(" ");
  put_str(name);
  put_str("=");
  put_u32(v);
}

int main(void) {
  inas_status_t st;
  const volatile inas_sim_stats_t *s;
  inas_platform_init();
  inas_sim_stats_boot();
  st = inas_engine_boot();
  if (st == INAS_OK) {
    st = inas_engine_run((uint32_t)INAS_SIM_INFERENCES);
  }
  s = inas_sim_stats();
  put_str("INAS SIM");
  put_field("boots", s->boots);
  put_field("tiles", s->tiles);
  put_field("schedule", inas_engine_schedule_tiles());
  put_field("commits", s->commits);
  put_field("nvm_reads", s->nvm_reads);
  put_field("nvm_read_bytes", s->nvm_read_bytes);
  put_field("nvm_writes", s->nvm_writes);
  put_field("nvm_write_bytes", s->nvm_write_bytes);
  put_field("torn", s->torn_writes);
  put_field("status", st);
  put_field("ticks", inas_hal_ticks());
  put_str("\r\n");
  return (int)st;
}
