/*
 * Compiler intrinsics for 16-bit MSP430 code, shared by the clang (--target=msp430) and msp430-elf-gcc builds:
 * status-register access, interrupts, no-op and a cycle delay, plus the section macros the HALs and the generated
 * headers use to place data in FRAM that crt0 never re-initialises.
 */
#ifndef INAS_MSP430_INTRINSICS_H
#define INAS_MSP430_INTRINSICS_H

#include <stdint.h>

/* Data placed here keeps its value across resets and power failures (FRAM that crt0 does not touch). */
#ifndef INAS_PERSISTENT
#define INAS_PERSISTENT __attribute__((section(".persistent"), used))
#endif
/* Read-only model data (weights, layer tables) in FRAM (hal.h leaves the same name to the port). */
#ifndef INAS_NVM_CONST
#define INAS_NVM_CONST __attribute__((section(".rodata.inas_nvm"), used))
#endif
/* Buffers in the LEA-shared SRAM (0x2C00, 4-byte aligned as LEA requires). */
#define INAS_LEA_RAM __attribute__((section(".lea_ram"), aligned(4)))

static inline void inas_msp430_nop(void) { __asm__ volatile("nop"); }

static inline void inas_msp430_enable_interrupts(void) {
  /* The MSP430 family needs a NOP around EINT so the next instruction cannot be interrupted half-set-up. */
  __asm__ volatile("nop\n\teint\n\tnop" ::: "memory");
}

static inline void inas_msp430_disable_interrupts(void) {
  __asm__ volatile("dint\n\tnop" ::: "memory");
}

static inline uint16_t inas_msp430_get_sr(void) {
  uint16_t sr;
  __asm__ volatile("mov r2, %0" : "=r"(sr));
  return sr;
}

static inline void inas_msp430_bis_sr(uint16_t bits) {
  __asm__ volatile("nop\n\tbis %0, r2\n\tnop" : : "r"(bits) : "memory");
}

/* Busy-wait about 4 * n + a few cycles (a dec/jne pair with a nop per round). */
static inline void inas_msp430_delay_rounds(uint16_t n) {
  if (n == 0u) {
    return;
  }
  __asm__ volatile("1:\n\tnop\n\tdec %0\n\tjne 1b" : "+r"(n) : : "cc");
}

#endif /* INAS_MSP430_INTRINSICS_H */
