/*
 * The run-time helpers clang --target=msp430 emits calls to (the names of TI's MSP430 EABI, SLAA534, plus the three
 * compiler-rt 64-bit shifts clang uses), for builds without TI's libgcc:
 *   multiply     __mspabi_mpyi, __mspabi_mpyl            (software, -mhwmult=none)
 *                __mspabi_mpy{i,l,ll}_hw                  (16-bit multiplier, -mhwmult=16bit: mspabi_hw16.c)
 *                __mspabi_mpy{i,l,ll}_f5hw                (MPY32, -mhwmult=f5series: mspabi_f5hw.c)
 *   divide/mod   __mspabi_{divi,divu,remi,remu,divli,divul,remli,remul}
 *   shifts       __mspabi_{slli,srai,srli,slll,sral,srll}, __ashldi3, __ashrdi3, __lshrdi3
 *   64-bit       __mspabi_{mpyll,divlli,divull,remlli,remull} take their operands in R8-R11 and R12-R15
 *                (a special convention); mspabi_shims.S moves them into the C convention and calls the
 *                inas_mspabi_* functions below.
 * Every helper is written with shifts by one and additions only, so the compiler never turns its body back into a
 * call to itself (checked by the msp430 toolchain test). Division by zero returns an all-ones quotient and the
 * dividend as remainder (C leaves it undefined; the firmware never divides by zero).
 */
#include <stdint.h>

/* ---- multiply ------------------------------------------------------------------------------------------- */
uint16_t __mspabi_mpyi(uint16_t a, uint16_t b);
uint32_t __mspabi_mpyl(uint32_t a, uint32_t b);
uint64_t inas_mspabi_mpyll(uint64_t a, uint64_t b);

uint16_t __mspabi_mpyi(uint16_t a, uint16_t b) {
  uint16_t r = 0u;
  while (b != 0u) {
    if ((b & 1u) != 0u) {
      r = (uint16_t)(r + a);
    }
    a = (uint16_t)(a << 1);
    b = (uint16_t)(b >> 1);
  }
  return r;
}

/* a * b mod 2^32 = -(a * -b) mod 2^32: negative operands are negated first, so products of sign-extended Q15
 * values loop over at most 16 bits instead of 32. */
uint32_t __mspabi_mpyl(uint32_t a, uint32_t b) {
  uint32_t r = 0u;
  uint16_t negate = 0u;
  if ((a & 0x80000000ul) != 0u) {
    a = 0u - a;
    negate ^= 1u;
  }
  if ((b & 0x80000000ul) != 0u) {
    b = 0u - b;
    negate ^= 1u;
  }
  if (b > a) {
    const uint32_t t = a;
    a = b;
    b = t;
  }
  while (b != 0u) {
    if ((b & 1u) != 0u) {
      r += a;
    }
    a <<= 1;
    b >>= 1;
  }
  return negate != 0u ? 0u - r : r;
}

uint64_t inas_mspabi_mpyll(uint64_t a, uint64_t b) {
  uint64_t r = 0u;
  while (b != 0u) {
    if ((b & 1u) != 0u) {
      r += a;
    }
    a <<= 1;
    b >>= 1;
  }
  return r;
}

/* ---- unsigned division by restoring shift-subtract ---------------------------------------------------------- */
static uint16_t udiv16(uint16_t n, uint16_t d, uint16_t *rem) {
  uint16_t q = 0u;
  uint16_t r = 0u;
  uint16_t bit = 0x8000u;
  if (d == 0u) {
    *rem = n;
    return 0xFFFFu;
  }
  while (bit != 0u) {
    r = (uint16_t)(r << 1);
    if ((n & bit) != 0u) {
      r |= 1u;
    }
    if (r >= d) {
      r = (uint16_t)(r - d);
      q |= bit;
    }
    bit = (uint16_t)(bit >> 1);
  }
  *rem = r;
  return q;
}

static uint32_t udiv32(uint32_t n, uint32_t d, uint32_t *rem) {
  uint32_t q = 0u;
  uint32_t r = 0u;
  uint32_t bit = 0x80000000ul;
  if (d == 0u) {
    *rem = n;
    return 0xFFFFFFFFul;
  }
  if (n < d) {
    *rem = n;
    return 0u;
  }
  if ((n >> 16) == 0u) {
    /* Both fit in 16 bits (d <= n): the 16-round loop. */
    uint16_t r16;
    const uint16_t q16 = udiv16((uint16_t)n, (uint16_t)d, &r16);
    *rem = r16;
    return q16;
  }
  /* Rounds above the numerator's top bit only shift zeros: skip them (by bytes, then bits). */
  while ((bit >> 8) > n) {
    bit >>= 8;
  }
  while (bit > n) {
    bit >>= 1;
  }
  while (bit != 0u) {
    r <<= 1;
    if ((n & bit) != 0u) {
      r |= 1u;
    }
    if (r >= d) {
      r -= d;
      q |= bit;
    }
    bit >>= 1;
  }
  *rem = r;
  return q;
}

static uint64_t udiv64(uint64_t n, uint64_t d, uint64_t *rem) {
  uint64_t q = 0u;
  uint64_t r = 0u;
  uint16_t i;
  if (d == 0u) {
    *rem = n;
    return 0xFFFFFFFFFFFFFFFFull;
  }
  for (i = 0u; i < 64u; i++) {
    r <<= 1;
    if ((n & 0x8000000000000000ull) != 0u) {
      r |= 1u;
    }
    n <<= 1;
    q <<= 1;
    if (r >= d) {
      r -= d;
      q |= 1u;
    }
  }
  *rem = r;
  return q;
}

uint16_t __mspabi_divu(uint16_t a, uint16_t b);
uint16_t __mspabi_remu(uint16_t a, uint16_t b);
int16_t __mspabi_divi(int16_t a, int16_t b);
int16_t __mspabi_remi(int16_t a, int16_t b);
uint32_t __mspabi_divul(uint32_t a, uint32_t b);
uint32_t __mspabi_remul(uint32_t a, uint32_t b);
int32_t __mspabi_divli(int32_t a, int32_t b);
int32_t __mspabi_remli(int32_t a, int32_t b);
uint64_t inas_mspabi_divull(uint64_t a, uint64_t b);
uint64_t inas_mspabi_remull(uint64_t a, uint64_t b);
int64_t inas_mspabi_divlli(int64_t a, int64_t b);
int64_t inas_mspabi_remlli(int64_t a, int64_t b);

uint16_t __mspabi_divu(uint16_t a, uint16_t b) {
  uint16_t r;
  return udiv16(a, b, &r);
}

uint16_t __mspabi_remu(uint16_t a, uint16_t b) {
  uint16_t r;
  (void)udiv16(a, b, &r);
  return r;
}

/* Signed forms: divide the magnitudes, then C99 signs (quotient truncates toward zero, remainder takes the sign
 * of the dividend). Magnitudes are taken in unsigned arithmetic, so the most negative value needs no special case. */
int16_t __mspabi_divi(int16_t a, int16_t b) {
  uint16_t r;
  const uint16_t ua = a < 0 ? (uint16_t)(0u - (uint16_t)a) : (uint16_t)a;
  const uint16_t ub = b < 0 ? (uint16_t)(0u - (uint16_t)b) : (uint16_t)b;
  const uint16_t q = udiv16(ua, ub, &r);
  return (int16_t)(((a < 0) != (b < 0)) ? (uint16_t)(0u - q) : q);
}

int16_t __mspabi_remi(int16_t a, int16_t b) {
  uint16_t r;
  const uint16_t ua = a < 0 ? (uint16_t)(0u - (uint16_t)a) : (uint16_t)a;
  const uint16_t ub = b < 0 ? (uint16_t)(0u - (uint16_t)b) : (uint16_t)b;
  (void)udiv16(ua, ub, &r);
  return (int16_t)(a < 0 ? (uint16_t)(0u - r) : r);
}

uint32_t __mspabi_divul(uint32_t a, uint32_t b) {
  uint32_t r;
  return udiv32(a, b, &r);
}

uint32_t __mspabi_remul(uint32_t a, uint32_t b) {
  uint32_t r;
  (void)udiv32(a, b, &r);
  return r;
}

int32_t __mspabi_divli(int32_t a, int32_t b) {
  uint32_t r;
  const uint32_t ua = a < 0 ? 0u - (uint32_t)a : (uint32_t)a;
  const uint32_t ub = b < 0 ? 0u - (uint32_t)b : (uint32_t)b;
  const uint32_t q = udiv32(ua, ub, &r);
  return (int32_t)(((a < 0) != (b < 0)) ? 0u - q : q);
}

int32_t __mspabi_remli(int32_t a, int32_t b) {
  uint32_t r;
  const uint32_t ua = a < 0 ? 0u - (uint32_t)a : (uint32_t)a;
  const uint32_t ub = b < 0 ? 0u - (uint32_t)b : (uint32_t)b;
  (void)udiv32(ua, ub, &r);
  return (int32_t)(a < 0 ? 0u - r : r);
}

uint64_t inas_mspabi_divull(uint64_t a, uint64_t b) {
  uint64_t r;
  return udiv64(a, b, &r);
}

uint64_t inas_mspabi_remull(uint64_t a, uint64_t b) {
  uint64_t r;
  (void)udiv64(a, b, &r);
  return r;
}

int64_t inas_mspabi_divlli(int64_t a, int64_t b) {
  uint64_t r;
  const uint64_t ua = a < 0 ? 0u - (uint64_t)a : (uint64_t)a;
  const uint64_t ub = b < 0 ? 0u - (uint64_t)b : (uint64_t)b;
  const uint64_t q = udiv64(ua, ub, &r);
  return (int64_t)(((a < 0) != (b < 0)) ? 0u - q : q);
}

int64_t inas_mspabi_remlli(int64_t a, int64_t b) {
  uint64_t r;
  const uint64_t ua = a < 0 ? 0u - (uint64_t)a : (uint64_t)a;
  const uint64_t ub = b < 0 ? 0u - (uint64_t)b : (uint64_t)b;
  (void)udiv64(ua, ub, &r);
  return (int64_t)(a < 0 ? 0u - r : r);
}

/* ---- shifts by a run-time amount (counts are taken modulo the width, as the MSP430 EABI helpers do) ----------- */
uint16_t __mspabi_slli(uint16_t a, int16_t n);
int16_t __mspabi_srai(int16_t a, int16_t n);
uint16_t __mspabi_srli(uint16_t a, int16_t n);
uint32_t __mspabi_slll(uint32_t a, int16_t n);
int32_t __mspabi_sral(int32_t a, int16_t n);
uint32_t __mspabi_srll(uint32_t a, int16_t n);
uint64_t __ashldi3(uint64_t a, int16_t n);
int64_t __ashrdi3(int64_t a, int16_t n);
uint64_t __lshrdi3(uint64_t a, int16_t n);

uint16_t __mspabi_slli(uint16_t a, int16_t n) {
  uint16_t k = (uint16_t)n & 15u;
  while (k-- > 0u) {
    a = (uint16_t)(a << 1);
  }
  return a;
}

int16_t __mspabi_srai(int16_t a, int16_t n) {
  uint16_t k = (uint16_t)n & 15u;
  uint16_t u = (uint16_t)a;
  const uint16_t sign = u & 0x8000u;
  while (k-- > 0u) {
    u = (uint16_t)((u >> 1) | sign);
  }
  return (int16_t)u;
}

uint16_t __mspabi_srli(uint16_t a, int16_t n) {
  uint16_t k = (uint16_t)n & 15u;
  while (k-- > 0u) {
    a = (uint16_t)(a >> 1);
  }
  return a;
}

uint32_t __mspabi_slll(uint32_t a, int16_t n) {
  uint16_t k = (uint16_t)n & 31u;
  while (k-- > 0u) {
    a <<= 1;
  }
  return a;
}

int32_t __mspabi_sral(int32_t a, int16_t n) {
  uint16_t k = (uint16_t)n & 31u;
  uint32_t u = (uint32_t)a;
  const uint32_t sign = u & 0x80000000ul;
  while (k-- > 0u) {
    u = (u >> 1) | sign;
  }
  return (int32_t)u;
}

uint32_t __mspabi_srll(uint32_t a, int16_t n) {
  uint16_t k = (uint16_t)n & 31u;
  while (k-- > 0u) {
    a >>= 1;
  }
  return a;
}

/* 64-bit shifts: whole 16-bit words first (limb moves, no shift the compiler could turn into a call), then bits. */
typedef union {
  uint64_t v;
  uint16_t w[4]; /* little-endian: w[0] is the least significant word */
} limbs64_t;

uint64_t __ashldi3(uint64_t a, int16_t n) {
  uint16_t k = (uint16_t)n & 63u;
  limbs64_t x;
  x.v = a;
  while (k >= 16u) {
    x.w[3] = x.w[2];
    x.w[2] = x.w[1];
    x.w[1] = x.w[0];
    x.w[0] = 0u;
    k = (uint16_t)(k - 16u);
  }
  while (k-- > 0u) {
    x.v <<= 1;
  }
  return x.v;
}

static uint64_t shift_right(uint64_t a, uint16_t k, uint16_t fill) {
  limbs64_t x;
  const uint64_t sign = fill != 0u ? 0x8000000000000000ull : 0u;
  x.v = a;
  while (k >= 16u) {
    x.w[0] = x.w[1];
    x.w[1] = x.w[2];
    x.w[2] = x.w[3];
    x.w[3] = fill;
    k = (uint16_t)(k - 16u);
  }
  while (k-- > 0u) {
    x.v = (x.v >> 1) | sign;
  }
  return x.v;
}

int64_t __ashrdi3(int64_t a, int16_t n) {
  const uint64_t u = (uint64_t)a;
  return (int64_t)shift_right(u, (uint16_t)n & 63u, (u & 0x8000000000000000ull) != 0u ? 0xFFFFu : 0u);
}

uint64_t __lshrdi3(uint64_t a, int16_t n) { return shift_right(a, (uint16_t)n & 63u, 0u); }
