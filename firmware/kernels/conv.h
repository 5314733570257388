/* conv.h: tiled 2-D/1-D convolution (stride 1, valid padding, no bias) over Q15 with 32-bit wrapping sums. */
#ifndef INAS_CONV_H
#define INAS_CONV_H

#include "kernel.h"

/**
 * Validates a CONV descriptor at boot: shapes (out = in - k + 1, 1-D when in_w = k_w = 1), divisibility of
 * tr/tc/tm/tn, S dividing the batched loop of the loop order, tile buffers within `lim`, shift in [-15, 31].
 */
inas_status_t inas_conv_check(const inas_layer_t *l, const inas_sram_limits_t *lim);

/**
 * One tile: acc[tr][tc][tm] += sum over kh, kw, n of ifm[tr+kh][tc+kw][n] * w[kh][kw][m][n] (modulo 2^32).
 * ifm is the (tr+k_h-1) x (tc+k_w-1) x tn input tile, w the k_h x k_w x tm x tn weight tile.
 */
void inas_conv_tile(const int16_t *ifm, const int16_t *w, uint32_t *acc, uint16_t tr, uint16_t tc, uint16_t tm,
                    uint16_t tn, uint16_t k_h, uint16_t k_w);

/** Requantises n accumulators: out[i] = requant(acc[i], shift) (Q15.md), ReLU left to inas_relu_tile. */
void inas_conv_requant(const uint32_t *acc, int16_t *out, uint32_t n, int16_t shift);

#endif /* INAS_CONV_H */
