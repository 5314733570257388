/* pool.h: max / average pooling with a non-overlapping k_h x k_w window (stride = window). */
#ifndef INAS_POOL_H
#define INAS_POOL_H

#include "kernel.h"

/** Validates a POOL descriptor: out = floor(in / k), out_c = in_c, reuse_O, divisibility, S | M/Tm, SRAM. */
inas_status_t inas_pool_check(const inas_layer_t *l, const inas_sram_limits_t *lim);

/**
 * One tile: out[tr][tc][tm] = max (INAS_POOL_MAX) or sat16(div_round(sum, k_h*k_w)) (INAS_POOL_AVG) over the
 * window; ifm is the (tr*k_h) x (tc*k_w) x tm input tile.
 */
void inas_pool_tile(const int16_t *ifm, int16_t *out, uint16_t tr, uint16_t tc, uint16_t tm, uint16_t k_h,
                    uint16_t k_w, uint8_t kind);

#endif /* INAS_POOL_H */
