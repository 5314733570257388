/*
 * Voltage monitor on Comparator_E (reference §6.6): the V+ input is channel 5 (the pin that senses the capacitor
 * through the board's divider), V- is the 2.0 V shared reference through the 32-tap resistor ladder. When the
 * sensed voltage falls below the tap, the comparator interrupt (vector 0xFFF8) calls the registered handler, which
 * normally commits nothing (the runtime's protocol needs no last-moment save) and powers down.
 */
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "intrinsics.h"
#include "msp430fr5994_regs.h"

#define VMON_CHANNEL 5u
#define VMON_REF_MV 2000u
#define VMON_TAPS 32u

static void (*low_handler)(void);

static void set_tap(uint16_t tap) {
  /* CEREF0 (bits 4:0) and CEREF1 (bits 12:8) equal: no hysteresis while measuring. */
  CECTL2 = (uint16_t)(CEREFL_2 | CERS_2 | CERSEL | ((tap & 31u) << 8) | (tap & 31u));
}

void inas_vmon_init(uint16_t threshold_tap, void (*on_low)(void)) {
  low_handler = on_low;
  CECTL0 = (uint16_t)(CEIPEN | VMON_CHANNEL);
  CECTL3 = (uint16_t)(1u << VMON_CHANNEL); /* disable the digital input buffer of the analog pin */
  set_tap(threshold_tap);
  CECTL1 = CEPWRMD_1 | CEON;
  inas_msp430_delay_rounds(100u); /* reference and comparator settle (a few microseconds) */
}

void inas_vmon_enable(void) {
  CEINT = (uint16_t)(CEINT & (uint16_t)~(CEIFG | CEIIFG));
  CECTL1 |= CEIES; /* falling output edge: supply dropped below the tap */
  CEINT |= CEIE;
}

void inas_vmon_disable(void) { CEINT &= (uint16_t)~CEIE; }

uint16_t inas_vmon_measure_mv(void) {
  uint16_t lo = 0u;
  uint16_t hi = VMON_TAPS - 1u;
  const uint16_t saved = CECTL2;
  while (lo < hi) {
    const uint16_t mid = (uint16_t)((lo + hi + 1u) / 2u);
    set_tap(mid);
    inas_msp430_delay_rounds(20u);
    if ((CECTL1 & CEOUT) != 0u) {
      lo = mid; /* input above this tap */
    } else {
      hi = (uint16_t)(mid - 1u);
    }
  }
  CECTL2 = saved;
  return (uint16_t)(((uint32_t)VMON_REF_MV * (lo + 1u)) / VMON_TAPS);
}

void inas_isr_comp_e(void);
__attribute__((interrupt(INAS_VEC_COMP_E), used)) void inas_isr_comp_e(void) {
  (void)CEIV;
  CEINT &= (uint16_t)~CEIE;
  if (low_handler != NULL) {
    low_handler();
  }
}
