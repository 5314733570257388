/* gap.h: global average pooling, tiled over the input (Tr x Tc spatial, Tm channels), batched over space. */
#ifndef INAS_GAP_H
#define INAS_GAP_H

#include "kernel.h"

/** Validates a GAP descriptor: 1x1 output, reuse_O, divisibility, S | (H/Tr)(W/Tc), window <= 65535, SRAM. */
inas_status_t inas_gap_check(const inas_layer_t *l, const inas_sram_limits_t *lim);

/** One tile: sum[m] += sum over the tr x tc x tm input tile (int32 sums, kept in uint32 slots; no overflow). */
void inas_gap_tile(const int16_t *ifm, uint32_t *sum, uint16_t tr, uint16_t tc, uint16_t tm);

/** Final outputs: out[m] = sat16(div_round(sum[m], window)). */
void inas_gap_finish(const uint32_t *sum, int16_t *out, uint16_t tm, uint32_t window);

#endif /* INAS_GAP_H */
