/*
 * Q15 dot product on the MPY32: the accumulator RES0..RES3 is cleared, then every MACS (signed 16x16 multiply-
 * accumulate) adds a[i] * b[i]. The low 32 bits of the accumulator are the sum modulo 2^32, exactly the Q15.md
 * accumulation rule, so the result does not depend on how the caller tiles the sum. Interrupts stay off while the
 * multiplier is in use (interrupt handlers may multiply).
 */
#include <stdint.h>

#include "board.h"
#include "intrinsics.h"
#include "msp430fr5994_regs.h"

uint32_t inas_board_mac_q15_mpy32(const int16_t *a, const int16_t *b, uint16_t n) {
  const uint16_t sr = inas_msp430_get_sr();
  uint32_t acc;
  uint16_t i;
  inas_msp430_disable_interrupts();
  MPY32CTL0 = 0u; /* plain integer mode, no saturation, no fractional shift */
  RES0 = 0u;
  RES1 = 0u;
  RES2 = 0u;
  RES3 = 0u;
  for (i = 0u; i < n; i++) {
    MACS = (uint16_t)a[i];
    OP2 = (uint16_t)b[i];
  }
  __asm__ volatile("nop\n\tnop\n\tnop" ::: "memory");
  acc = (uint32_t)RES0 | ((uint32_t)RES1 << 16);
  if ((sr & GIE) != 0u) {
    inas_msp430_enable_interrupts();
  }
  return acc;
}
