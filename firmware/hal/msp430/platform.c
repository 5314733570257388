/*
 * MSP430FR5994 LaunchPad platform: watchdog, GPIO unlock, 16 MHz clocks with one FRAM wait state, console on
 * eUSCI_A0, cycle timer, energy-harvester shutdown pin. Implements firmware/msp430/platform.h.
 */
#include <stdint.h>

#include "board.h"
#include "intrinsics.h"
#include "msp430fr5994_regs.h"
#include "platform.h"

void inas_platform_early_init(void) { WDTCTL = WDTPW | WDTHOLD; }

static void clock_init_16mhz(void) {
  /* FRAM needs one wait state above 8 MHz: set it before raising MCLK. */
  FRCTL0 = FRCTLPW | NWAITS_1;
  CSCTL0_H = CSKEY_H;
  /* Divide by 4 while the DCO changes frequency, then run undivided (the family's DCO-switching guidance). */
  CSCTL3 = DIVA__4 | DIVS__4 | DIVM__4;
  CSCTL1 = DCORSEL | DCOFSEL_4;
  CSCTL2 = SELA__VLOCLK | SELS__DCOCLK | SELM__DCOCLK;
  inas_msp430_delay_rounds(60u); /* about 15 us at 4 MHz for the DCO to settle */
  CSCTL3 = DIVA__1 | DIVS__1 | DIVM__1;
  CSCTL0_H = 0u;
}

void inas_platform_init(void) {
  /* All ports low outputs (lowest leakage), harvester shutdown line P3.7 low = keep power. */
  P1OUT = 0u;
  P1DIR = 0xFFu;
  P3OUT = 0u;
  P3DIR = 0xFFu;
  P4OUT = 0u;
  P4DIR = 0xFFu;
  P5OUT = 0u;
  P5DIR = 0xFFu;
  /* Ports keep their reset state until LOCKLPM5 is cleared. */
  PM5CTL0 &= (uint16_t)~LOCKLPM5;
  clock_init_16mhz();
  inas_board_uart_init();
  inas_board_timer_init();
  inas_msp430_enable_interrupts();
}

void inas_platform_putc(char c) { inas_board_uart_putc((uint8_t)c); }

void inas_platform_puts(const char *s) {
  while (*s != '\0') {
    inas_platform_putc(*s++);
  }
}

uint32_t inas_platform_cycles(void) { return inas_board_cycles(); }

void inas_board_shutdown(void) {
  P3OUT |= BIT7;
  for (;;) {
    inas_msp430_bis_sr(CPUOFF | GIE);
  }
}

void inas_platform_exit(int16_t status) {
  (void)status;
  inas_msp430_disable_interrupts();
  for (;;) {
    inas_msp430_bis_sr(CPUOFF);
  }
}
