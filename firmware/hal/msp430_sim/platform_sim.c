/*
 * Platform layer for mspdebug's simulator (`mspdebug sim`): a flat 64 KB memory, I/O below 0x0200, no clock
 * system and no watchdog unless one is added. The runner (src/firmware/msp430_sim.ts) adds:
 *   simio add console  -> every byte written to 0x00FF is printed on mspdebug's stdout;
 *   simio add timer    -> Timer_A at 0x0160 (TACTL 0x0160, TAR 0x0170, TAIV 0x012E), clocked by the simulated
 *                         MCLK; its TAIFG interrupt is routed to vector 0xFFE8 (irq 4), where our overflow handler
 *                         extends TAR to 32 bits;
 *   a breakpoint on inas_sim_halt, which inas_platform_exit reaches with the exit status in R12.
 * Memory survives the simulator's `reset`, so a reset injected mid-run is a power failure with NVM intact.
 */
#include <stdint.h>

#include "intrinsics.h"
#include "msp430fr5994_regs.h"
#include "platform.h"

#define SIM_CONSOLE (*(volatile uint8_t *)0x00FFu)
#define SIM_TACTL (*(volatile uint16_t *)0x0160u)
#define SIM_TAR (*(volatile uint16_t *)0x0170u)
#define SIM_TAIV (*(volatile uint16_t *)0x012Eu)
#define SIM_TASSEL_SMCLK 0x0200u
#define SIM_MC_CONTINUOUS 0x0020u
#define SIM_TACLR 0x0004u
#define SIM_TAIE 0x0002u
#define SIM_TAIFG 0x0001u

static volatile uint16_t cycles_high;

void inas_platform_early_init(void) {}

void inas_platform_init(void) {
  cycles_high = 0u;
  SIM_TACTL = SIM_TASSEL_SMCLK | SIM_MC_CONTINUOUS | SIM_TACLR | SIM_TAIE;
  inas_msp430_enable_interrupts();
}

void inas_platform_putc(char c) { SIM_CONSOLE = (uint8_t)c; }

void inas_platform_puts(const char *s) {
  while (*s != '\0') {
    inas_platform_putc(*s++);
  }
}

uint32_t inas_platform_cycles(void) {
  uint16_t hi;
  uint16_t lo;
  do {
    hi = cycles_high;
    lo = SIM_TAR;
  } while (hi != cycles_high);
  return ((uint32_t)hi << 16) | lo;
}

/* Installed through crt0's vector table (the section clang emits for the number is discarded by the script). */
void inas_isr_timer0_a1(void);
__attribute__((interrupt(INAS_VEC_TIMER0_A1), used)) void inas_isr_timer0_a1(void) {
  (void)SIM_TAIV;
  SIM_TACTL &= (uint16_t)~SIM_TAIFG;
  cycles_high++;
}

/* The runner's breakpoint. noinline + an asm body keep it a distinct, stable address. */
__attribute__((noinline, used, noreturn)) void inas_sim_halt(int16_t status);
__attribute__((noinline, used, noreturn)) void inas_sim_halt(int16_t status) {
  (void)status;
  for (;;) {
    __asm__ volatile("nop");
  }
}

void inas_platform_exit(int16_t status) {
  inas_msp430_disable_interrupts();
  inas_sim_halt(status);
}
