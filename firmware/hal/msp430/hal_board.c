/*
 * hal.h for the MSP430FR5994 board. NVM is the external Cypress SPI FRAM (iNAS board, reference §6.7) or, with
 * INAS_BOARD_NVM_FRAM=1 (the msp430fr5994-fram platform profile), a block of the MCU's internal FRAM that crt0
 * never touches. Console on eUSCI_A0, ticks from Timer0_A (MCLK = 16 MHz), supply voltage from Comparator_E.
 * A power failure can hit any instruction: the runtime's commit protocol makes that safe, so nothing here has to
 * save anything at the last moment. After a commit, when INAS_BOARD_SHUTDOWN_TAP is set and the monitored voltage
 * is below that ladder tap, the board asks the harvester to cut power (P3.7) and waits for the next boot with a
 * full capacitor. The cost hooks do nothing on real hardware.
 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "hal.h"
#include "intrinsics.h"
#include "msp430fr5994_regs.h"
#include "platform.h"
#include "q15.h"
#ifdef INAS_PROTOCOL_EVENTS
#include "events_proto.h"
#endif

#ifndef INAS_BOARD_NVM_FRAM
#define INAS_BOARD_NVM_FRAM 0
#endif
/* Comparator_E ladder tap (0..31, x 2.0 V / 32 on the sensed pin) below which a commit powers down; 0 = never. */
#ifndef INAS_BOARD_SHUTDOWN_TAP
#define INAS_BOARD_SHUTDOWN_TAP 0u
#endif

#if INAS_BOARD_NVM_FRAM
#ifndef INAS_BOARD_NVM_BYTES
#error "INAS_BOARD_NVM_BYTES (the dump's nvm.size_bytes) must be set for the internal-FRAM NVM"
#endif
static INAS_PERSISTENT uint8_t board_nvm[INAS_BOARD_NVM_BYTES] = {0u};
#define NVM_CAPACITY ((uint32_t)INAS_BOARD_NVM_BYTES)
#else
#define NVM_CAPACITY ((uint32_t)INAS_EXTFRAM_SIZE_BYTES)
/* Largest single SPI/DMA transfer (the DMA size register is 16 bits). */
#define NVM_CHUNK 0x4000u
#endif

static int in_range(inas_nvm_addr_t addr, uint32_t len) { return addr <= NVM_CAPACITY && len <= NVM_CAPACITY - addr; }

inas_status_t inas_hal_nvm_read(inas_nvm_addr_t addr, void *dst, uint32_t len) {
  if (!in_range(addr, len)) {
    return INAS_E_NVM_RANGE;
  }
#if INAS_BOARD_NVM_FRAM
  memcpy(dst, &board_nvm[(uint16_t)addr], (size_t)len);
#else
  {
    uint8_t *d = (uint8_t *)dst;
    while (len > 0u) {
      const uint16_t n = len > NVM_CHUNK ? (uint16_t)NVM_CHUNK : (uint16_t)len;
      inas_extfram_read(addr, d, n);
      addr += n;
      d += n;
      len -= n;
    }
  }
#endif
  return INAS_OK;
}

inas_status_t inas_hal_nvm_write(inas_nvm_addr_t addr, const void *src, uint32_t len) {
  if (!in_range(addr, len)) {
    return INAS_E_NVM_RANGE;
  }
#if INAS_BOARD_NVM_FRAM
  memcpy(&board_nvm[(uint16_t)addr], src, (size_t)len);
#else
  {
    const uint8_t *s = (const uint8_t *)src;
    while (len > 0u) {
      const uint16_t n = len > NVM_CHUNK ? (uint16_t)NVM_CHUNK : (uint16_t)len;
      inas_extfram_write(addr, s, n);
      addr += n;
      s += n;
      len -= n;
    }
  }
#endif
  return INAS_OK;
}

#ifdef INAS_HAVE_DSPLIB
/* Set by inas_board_dot_init() when DSPLib's LEA MAC agreed with the MPY32 on the self-test vector. */
static uint8_t lea_ok;
/* Below this length the LEA's call overhead (operand copies, set-up) costs more than the MPY32 loop. */
#define LEA_MIN_LEN 32u
#endif

void inas_board_dot_init(void) {
#ifdef INAS_HAVE_DSPLIB
  lea_ok = (uint8_t)inas_board_lea_init();
#endif
}

/* The kernels' dot product (q15.h INAS_PORT_DOT_Q15): MPY32 MACS, or LEA for long vectors when it passed. */
uint32_t inas_port_dot_q15(uint32_t acc, const int16_t *x, const int16_t *w, uint16_t n) {
#ifdef INAS_HAVE_DSPLIB
  if (lea_ok != 0u && n >= LEA_MIN_LEN) {
    return acc + inas_board_mac_q15_lea(x, w, n);
  }
#endif
  return acc + inas_board_mac_q15_mpy32(x, w, n);
}

uint32_t inas_hal_nvm_size(void) { return NVM_CAPACITY; }

void inas_hal_uart_write(const uint8_t *buf, uint16_t len) {
  uint16_t i;
  for (i = 0u; i < len; i++) {
    inas_board_uart_putc(buf[i]);
  }
}

uint32_t inas_hal_ticks(void) { return inas_board_cycles(); }

uint16_t inas_hal_voltage_mv(void) { return inas_vmon_measure_mv(); }

void inas_hal_account(uint8_t op, uint32_t count, uint16_t arg) {
  (void)op;
  (void)count;
  (void)arg;
}

void inas_hal_on_tiles(uint32_t tiles) { (void)tiles; }

void inas_hal_on_commit(void) {
#ifdef INAS_PROTOCOL_EVENTS
  inas_proto_events_commit(inas_board_cycles()); /* power may go without warning: bank the on-time up to this commit */
#endif
#if INAS_BOARD_SHUTDOWN_TAP > 0
  /* The threshold tap is the comparator's resting reference (inas_vmon_init): CEOUT low = below it. */
  if ((CECTL1 & CEOUT) == 0u) {
    inas_board_shutdown();
  }
#endif
}

void inas_hal_on_result(uint32_t inference, uint16_t cls, const int16_t *logits, uint16_t n) {
  (void)inference;
  (void)cls;
  (void)logits;
  (void)n;
}
