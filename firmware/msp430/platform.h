/*
 * What each 16-bit MSP430 platform (hal/msp430 = the real MSP430FR5994, hal/msp430_sim = mspdebug's simulator)
 * provides to crt0 and to the portable HAL glue. One of the two is linked into a build.
 */
#ifndef INAS_MSP430_PLATFORM_H
#define INAS_MSP430_PLATFORM_H

#include <stdint.h>

/* Called by crt0 before .data/.bss exist: must not use globals (the real part stops its watchdog here). */
void inas_platform_early_init(void);
/* Brings up clocks, the console and the cycle timer. Called once per boot, first thing in main(). */
void inas_platform_init(void);
/* Called by crt0 when main() returns: reports the status and stops (the simulator runner breaks here). */
void inas_platform_exit(int16_t status) __attribute__((noreturn));
/* Console output: UART eUSCI_A0 at 115200 baud on the board, the console device at 0x00FF in the simulator. */
void inas_platform_putc(char c);
void inas_platform_puts(const char *s);
/* Free-running MCLK cycle counter (16 MHz on the board), extended to 32 bits by an overflow interrupt. */
uint32_t inas_platform_cycles(void);

#endif /* INAS_MSP430_PLATFORM_H */
