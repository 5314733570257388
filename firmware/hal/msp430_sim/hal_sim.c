/*
 * hal.h for mspdebug's simulator: NVM is a byte array in (simulated) FRAM that keeps its contents across the
 * simulator's `reset` (a power failure); the engine provisions it on first boot. Console output goes to the console
 * device, ticks come from the simulated Timer_A. There is no energy model and no voltage sensing here: power
 * failures are injected from outside (`step N` + `reset`), and the cost hooks do nothing, as on the board; the
 * progress hooks and NVM accesses feed the runner's counters (hal_sim.h).
 */
#include <stdint.h>
#include <string.h>

#include "hal.h"
#include "hal_sim.h"
#include "q15.h"
#include "intrinsics.h"
#include "platform.h"
#ifdef INAS_PROTOCOL_EVENTS
#include "events_proto.h"
#endif

#ifndef INAS_SIM_NVM_BYTES
#define INAS_SIM_NVM_BYTES 8192u
#endif

static INAS_PERSISTENT uint8_t sim_nvm[INAS_SIM_NVM_BYTES] = {0u};

/*
 * Diagnostic counters for the runner, in FRAM so they add up over resets (a fresh `prog` zeroes them). A reset
 * can only tear a 32-bit increment between its two word operations when the low word carries: rare enough for
 * statistics; nothing in the firmware reads them.
 */
static INAS_PERSISTENT volatile inas_sim_stats_t sim_stats = {0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u};

const volatile inas_sim_stats_t *inas_sim_stats(void) { return &sim_stats; }

void inas_sim_stats_boot(void) {
  sim_stats.boots++;
  if (sim_stats.writing != 0u) {
    sim_stats.torn_writes++;
    sim_stats.writing = 0u;
  }
}

inas_status_t inas_hal_nvm_read(inas_nvm_addr_t addr, void *dst, uint32_t len) {
  if (addr > INAS_SIM_NVM_BYTES || len > INAS_SIM_NVM_BYTES - addr) {
    return INAS_E_NVM_RANGE;
  }
  memcpy(dst, &sim_nvm[(uint16_t)addr], (size_t)len);
  sim_stats.nvm_reads++;
  sim_stats.nvm_read_bytes += len;
  return INAS_OK;
}

inas_status_t inas_hal_nvm_write(inas_nvm_addr_t addr, const void *src, uint32_t len) {
  const uint8_t *s = (const uint8_t *)src;
  uint16_t i;
  if (addr > INAS_SIM_NVM_BYTES || len > INAS_SIM_NVM_BYTES - addr) {
    return INAS_E_NVM_RANGE;
  }
  sim_stats.writing = 1u;
  /* Byte by byte, so a reset between two bytes leaves a torn write, as on real FRAM. */
  for (i = 0u; i < (uint16_t)len; i++) {
    sim_nvm[(uint16_t)addr + i] = s[i];
  }
  sim_stats.writing = 0u;
  sim_stats.nvm_writes++;
  sim_stats.nvm_write_bytes += len;
  return INAS_OK;
}

/*
 * The kernels' dot product (q15.h INAS_PORT_DOT_Q15) on the simulator's 16x16 hardware multiplier (simio hwmult at
 * 0x0130, the MSP430 MPY registers): MPYS for the first product, MACS for the rest; RESHI:RESLO then hold the sum
 * modulo 2^32 (SUMEXT, the carry beyond it, is ignored: Q15.md sums wrap). Interrupts stay off meanwhile.
 */
#define SIM_MPYS (*(volatile uint16_t *)0x0132u)
#define SIM_MACS (*(volatile uint16_t *)0x0136u)
#define SIM_OP2 (*(volatile uint16_t *)0x0138u)
#define SIM_RESLO (*(volatile uint16_t *)0x013Au)
#define SIM_RESHI (*(volatile uint16_t *)0x013Cu)

uint32_t inas_port_dot_q15(uint32_t acc, const int16_t *x, const int16_t *w, uint16_t n) {
  const uint16_t sr = inas_msp430_get_sr();
  uint32_t sum;
  uint16_t i;
  if (n == 0u) {
    return acc;
  }
  inas_msp430_disable_interrupts();
  SIM_MPYS = (uint16_t)x[0];
  SIM_OP2 = (uint16_t)w[0];
  for (i = 1u; i < n; i++) {
    SIM_MACS = (uint16_t)x[i];
    SIM_OP2 = (uint16_t)w[i];
  }
  sum = (uint32_t)SIM_RESLO | ((uint32_t)SIM_RESHI << 16);
  if ((sr & 0x0008u) != 0u) { /* GIE */
    inas_msp430_enable_interrupts();
  }
  return acc + sum;
}

uint32_t inas_hal_nvm_size(void) { return INAS_SIM_NVM_BYTES; }

void inas_hal_uart_write(const uint8_t *buf, uint16_t len) {
  uint16_t i;
  for (i = 0u; i < len; i++) {
    inas_platform_putc((char)buf[i]);
  }
}

uint32_t inas_hal_ticks(void) { return inas_platform_cycles(); }

uint16_t inas_hal_voltage_mv(void) { return 0u; }

void inas_hal_account(uint8_t op, uint32_t count, uint16_t arg) {
  (void)op;
  (void)count;
  (void)arg;
}

void inas_hal_on_tiles(uint32_t tiles) { sim_stats.tiles += tiles; }

void inas_hal_on_commit(void) {
  sim_stats.commits++;
#ifdef INAS_PROTOCOL_EVENTS
  inas_proto_events_commit(inas_platform_cycles()); /* a reset gives no warning: bank the on-time up to this commit */
#endif
}

void inas_hal_on_result(uint32_t inference, uint16_t cls, const int16_t *logits, uint16_t n) {
  (void)inference;
  (void)cls;
  (void)logits;
  (void)n;
}
