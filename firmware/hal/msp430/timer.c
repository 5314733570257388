/*
 * Cycle stamps: Timer0_A counts SMCLK (= MCLK = 16 MHz) in continuous mode; its overflow interrupt (TAIFG through
 * TA0IV, vector 0xFFE8) counts the upper 16 bits.
 */
#include <stdint.h>

#include "board.h"
#include "intrinsics.h"
#include "msp430fr5994_regs.h"

static volatile uint16_t cycles_high;

void inas_board_timer_init(void) {
  cycles_high = 0u;
  TA0CTL = TASSEL__SMCLK | ID__1 | MC__CONTINUOUS | TACLR | TAIE;
}

uint32_t inas_board_cycles(void) {
  uint16_t hi;
  uint16_t lo;
  do {
    hi = cycles_high;
    lo = TA0R;
  } while (hi != cycles_high);
  return ((uint32_t)hi << 16) | lo;
}

void inas_isr_timer0_a1(void);
__attribute__((interrupt(INAS_VEC_TIMER0_A1), used)) void inas_isr_timer0_a1(void) {
  if (TA0IV == TAIV__TAIFG) {
    cycles_high++;
  }
}
