/*
 * Multiply helpers for -mhwmult=16bit: they drive a 16x16 hardware multiplier with the classic register layout
 * (MPY, MPYS, MAC, MACS, OP2, RESLO, RESHI, SUMEXT at consecutive words from INAS_HWMULT16_BASE). The
 * msp430-sim build uses them with mspdebug's simulated multiplier (`simio add hwmult`, base 0x0130); the same layout
 * is the first eight words of the FR5994's MPY32 at 0x04C0, so this is also the 16x16 half of the board's path.
 * 32-bit products are built from 16x16 partial products; a product of two sign-extended 16-bit values (the Q15
 * case) takes one signed multiplication.
 */
#include <stdint.h>

#include "intrinsics.h"

#ifndef INAS_HWMULT16_BASE
#define INAS_HWMULT16_BASE 0x0130u
#endif

#define HW_MPY (*(volatile uint16_t *)(INAS_HWMULT16_BASE + 0x0u))
#define HW_MPYS (*(volatile uint16_t *)(INAS_HWMULT16_BASE + 0x2u))
#define HW_OP2 (*(volatile uint16_t *)(INAS_HWMULT16_BASE + 0x8u))
#define HW_RESLO (*(volatile uint16_t *)(INAS_HWMULT16_BASE + 0xAu))
#define HW_RESHI (*(volatile uint16_t *)(INAS_HWMULT16_BASE + 0xCu))

uint16_t __mspabi_mpyi_hw(uint16_t a, uint16_t b);
uint32_t __mspabi_mpyl_hw(uint32_t a, uint32_t b);
uint64_t __mspabi_mpyll_hw(uint64_t a, uint64_t b);

static inline uint16_t irq_save(void) {
  const uint16_t sr = inas_msp430_get_sr();
  inas_msp430_disable_interrupts();
  return sr;
}

static inline void irq_restore(uint16_t sr) {
  if ((sr & 0x0008u) != 0u) {
    inas_msp430_enable_interrupts();
  }
}

static uint32_t umul16(uint16_t a, uint16_t b) {
  HW_MPY = a;
  HW_OP2 = b;
  __asm__ volatile("nop\n\tnop\n\tnop" ::: "memory");
  return (uint32_t)HW_RESLO | ((uint32_t)HW_RESHI << 16);
}

uint16_t __mspabi_mpyi_hw(uint16_t a, uint16_t b) {
  const uint16_t sr = irq_save();
  const uint16_t r = (uint16_t)umul16(a, b);
  irq_restore(sr);
  return r;
}

static uint32_t mul32_low(uint32_t a, uint32_t b) {
  const uint16_t alo = (uint16_t)a;
  const uint16_t ahi = (uint16_t)(a >> 16);
  const uint16_t blo = (uint16_t)b;
  const uint16_t bhi = (uint16_t)(b >> 16);
  const uint16_t a_sext = (alo & 0x8000u) != 0u ? 0xFFFFu : 0u;
  const uint16_t b_sext = (blo & 0x8000u) != 0u ? 0xFFFFu : 0u;
  uint32_t r;
  if (ahi == a_sext && bhi == b_sext) {
    HW_MPYS = alo;
    HW_OP2 = blo;
    __asm__ volatile("nop\n\tnop\n\tnop" ::: "memory");
    return (uint32_t)HW_RESLO | ((uint32_t)HW_RESHI << 16);
  }
  r = umul16(alo, blo);
  r += (uint32_t)(uint16_t)umul16(alo, bhi) << 16;
  r += (uint32_t)(uint16_t)umul16(ahi, blo) << 16;
  return r;
}

uint32_t __mspabi_mpyl_hw(uint32_t a, uint32_t b) {
  const uint16_t sr = irq_save();
  const uint32_t r = mul32_low(a, b);
  irq_restore(sr);
  return r;
}

/* 64-bit: schoolbook over 16-bit limbs, keeping the low 64 bits. */
uint64_t __mspabi_mpyll_hw(uint64_t a, uint64_t b) {
  const uint16_t sr = irq_save();
  uint16_t x[4];
  uint16_t y[4];
  uint16_t out[4] = {0u, 0u, 0u, 0u};
  uint16_t i;
  uint16_t j;
  for (i = 0u; i < 4u; i++) {
    x[i] = (uint16_t)(a >> (16u * i));
    y[i] = (uint16_t)(b >> (16u * i));
  }
  for (i = 0u; i < 4u; i++) {
    uint32_t carry = 0u;
    for (j = 0u; i + j < 4u; j++) {
      const uint32_t t = umul16(x[i], y[j]) + out[i + j] + carry;
      out[i + j] = (uint16_t)t;
      carry = t >> 16;
    }
  }
  irq_restore(sr);
  return (uint64_t)out[0] | ((uint64_t)out[1] << 16) | ((uint64_t)out[2] << 32) | ((uint64_t)out[3] << 48);
}
