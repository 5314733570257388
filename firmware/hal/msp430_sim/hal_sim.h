/*
 * hal_sim.h: what the mspdebug-simulator HAL adds for its runner: counters that persist across injected resets,
 * printed by main_msp430_sim.c as the `INAS SIM ...` line (src/firmware/msp430_simulate.ts parses it).
 */
#ifndef INAS_HAL_SIM_H
#define INAS_HAL_SIM_H

#include <stdint.h>

typedef struct {
  uint32_t boots;           /* firmware boots (the first one and one per injected reset) */
  uint32_t tiles;           /* tiles computed, re-executions included (inas_hal_on_tiles) */
  uint32_t commits;         /* progress records committed (inas_hal_on_commit) */
  uint32_t nvm_reads;       /* inas_hal_nvm_read calls */
  uint32_t nvm_read_bytes;
  uint32_t nvm_writes;      /* completed inas_hal_nvm_write calls */
  uint32_t nvm_write_bytes;
  uint32_t torn_writes;     /* writes a reset interrupted (seen at the next boot) */
  uint16_t writing;         /* 1 while a write is in progress */
} inas_sim_stats_t;

/** The counters (in simulated FRAM: they survive resets). */
const volatile inas_sim_stats_t *inas_sim_stats(void);

/** Counts a boot, and a torn write when a reset hit the middle of one. Called first thing after platform init. */
void inas_sim_stats_boot(void);

#endif /* INAS_HAL_SIM_H */
