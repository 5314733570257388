/*
 * Multiply helpers for -mhwmult=f5series on the real MSP430FR5994: they drive the MPY32 peripheral (0x04C0).
 * Interrupts are held off while the multiplier is in use, so an interrupt handler may multiply too. The 64-bit
 * product is built from four 32x32->64 products, keeping the low 64 bits. The operand is written last (OP2/OP2H
 * starts the multiplication) and the result registers are read after the multiplier's latency (a few NOPs, more
 * than the 16x16 and 32x32 result delays of SLAU367's MPY32 timing table).
 */
#include <stdint.h>

#include "intrinsics.h"
#include "msp430fr5994_regs.h"

uint16_t __mspabi_mpyi_f5hw(uint16_t a, uint16_t b);
uint32_t __mspabi_mpyl_f5hw(uint32_t a, uint32_t b);
uint64_t __mspabi_mpyll_f5hw(uint64_t a, uint64_t b);

static inline uint16_t irq_save(void) {
  const uint16_t sr = inas_msp430_get_sr();
  inas_msp430_disable_interrupts();
  return sr;
}

static inline void irq_restore(uint16_t sr) {
  if ((sr & GIE) != 0u) {
    inas_msp430_enable_interrupts();
  }
}

static inline void mpy_wait(void) {
  __asm__ volatile("nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop" ::: "memory");
}

uint16_t __mspabi_mpyi_f5hw(uint16_t a, uint16_t b) {
  const uint16_t sr = irq_save();
  uint16_t r;
  MPY = a;
  OP2 = b;
  mpy_wait();
  r = RESLO;
  irq_restore(sr);
  return r;
}

static uint64_t mul32x32(uint32_t a, uint32_t b) {
  uint64_t r;
  MPY32L = (uint16_t)a;
  MPY32H = (uint16_t)(a >> 16);
  OP2L = (uint16_t)b;
  OP2H = (uint16_t)(b >> 16);
  mpy_wait();
  r = (uint64_t)RES0 | ((uint64_t)RES1 << 16) | ((uint64_t)RES2 << 32) | ((uint64_t)RES3 << 48);
  return r;
}

uint32_t __mspabi_mpyl_f5hw(uint32_t a, uint32_t b) {
  const uint16_t sr = irq_save();
  uint32_t r;
  MPY32L = (uint16_t)a;
  MPY32H = (uint16_t)(a >> 16);
  OP2L = (uint16_t)b;
  OP2H = (uint16_t)(b >> 16);
  mpy_wait();
  r = (uint32_t)RES0 | ((uint32_t)RES1 << 16);
  irq_restore(sr);
  return r;
}

uint64_t __mspabi_mpyll_f5hw(uint64_t a, uint64_t b) {
  const uint16_t sr = irq_save();
  const uint32_t alo = (uint32_t)a;
  const uint32_t ahi = (uint32_t)(a >> 32);
  const uint32_t blo = (uint32_t)b;
  const uint32_t bhi = (uint32_t)(b >> 32);
  const uint64_t low = mul32x32(alo, blo);
  const uint32_t cross = (uint32_t)mul32x32(alo, bhi) + (uint32_t)mul32x32(ahi, blo);
  irq_restore(sr);
  return low + ((uint64_t)cross << 32);
}
