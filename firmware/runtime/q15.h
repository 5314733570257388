/*
 * q15.h: the Q15 arithmetic of firmware/Q15.md, as static inline helpers. The ONLY place in the firmware that does
 * fixed-point shifts, rounding or saturation. src/quant/q15.ts mirrors each helper one to one (same names without
 * the inas_ prefix: sat16, roundShift, requant, divRound) and the same test vectors (kernels/q15_test.c).
 * C99, fixed-width types only; no implementation-defined shifts or conversions of negative values.
 */
#ifndef INAS_Q15_H
#define INAS_Q15_H

#include <stdint.h>

/** Clamps to [-32768, 32767]. */
static inline int16_t inas_sat16(int64_t x)
{
    if (x > 32767) return (int16_t)32767;
    if (x < -32768) return (int16_t)-32768;
    return (int16_t)x;
}

/** floor(x / 2^s) for s in [1, 62], without relying on the implementation-defined >> of negative values. */
static inline int64_t inas_floor_shift(int64_t x, uint8_t s)
{
    if (x >= 0) return x >> s;
    return -(((-x) - 1) >> s) - 1;
}

/** round_shift(acc, s): s >= 1: floor((acc + 2^(s-1)) / 2^s) (round half up); s = 0: acc; s < 0: acc * 2^-s. */
static inline int64_t inas_round_shift(int64_t acc, int16_t s)
{
    if (s > 0) return inas_floor_shift(acc + ((int64_t)1 << (s - 1)), (uint8_t)s);
    if (s == 0) return acc;
    return acc * ((int64_t)1 << (-s));
}

/** requant(acc, s) = sat16(round_shift(acc, s)). */
static inline int16_t inas_requant(int32_t acc, int16_t s)
{
    return inas_sat16(inas_round_shift((int64_t)acc, s));
}

/** div_round(sum, n), n >= 1: round half away from zero with C99 truncating division. */
static inline int32_t inas_div_round(int32_t sum, uint32_t n)
{
    const int64_t nn = (int64_t)n;
    const int64_t ss = (int64_t)sum;
    if (ss >= 0) return (int32_t)((ss + nn / 2) / nn);
    return (int32_t)(-((-ss + nn / 2) / nn));
}

/** One product added modulo 2^32 (Q15.md: CONV/FC sums wrap in two's complement). */
static inline uint32_t inas_mac(uint32_t acc, int16_t x, int16_t w)
{
    return acc + (uint32_t)((int32_t)x * (int32_t)w);
}

/**
 * acc + sum of x[i] * w[i] for i < n, modulo 2^32: the kernels' inner loop (one inas_mac per element). A port with
 * a multiply-accumulate unit (MSP430 MPY32 / LEA) defines INAS_PORT_DOT_Q15 and links inas_port_dot_q15 with the
 * same result for every input; without it this portable loop is used.
 */
#ifdef INAS_PORT_DOT_Q15
uint32_t inas_port_dot_q15(uint32_t acc, const int16_t *x, const int16_t *w, uint16_t n);
static inline uint32_t inas_dot_q15(uint32_t acc, const int16_t *x, const int16_t *w, uint16_t n)
{
    return inas_port_dot_q15(acc, x, w, n);
}
#else
static inline uint32_t inas_dot_q15(uint32_t acc, const int16_t *x, const int16_t *w, uint16_t n)
{
    uint16_t i;
    for (i = 0; i < n; i++) acc = inas_mac(acc, x[i], w[i]);
    return acc;
}
#endif

/** Reads a wrapped uint32 accumulator as the two's-complement int32 it represents (portable conversion). */
static inline int32_t inas_acc_value(uint32_t acc)
{
    if (acc <= (uint32_t)INT32_MAX) return (int32_t)acc;
    return -(int32_t)(~acc) - 1;
}

/** max(y, 0): ReLU on a requantised output. */
static inline int16_t inas_relu(int16_t y)
{
    return y < 0 ? (int16_t)0 : y;
}

#endif /* INAS_Q15_H */
