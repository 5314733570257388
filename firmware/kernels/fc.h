/* fc.h: fully connected layer = a convolution whose kernel covers the whole input (1x1 output). */
#ifndef INAS_FC_H
#define INAS_FC_H

#include "kernel.h"

/** Validates an FC descriptor: k = in (h, w), 1x1 output, divisibility, S, SRAM, shift. */
inas_status_t inas_fc_check(const inas_layer_t *l, const inas_sram_limits_t *lim);

/**
 * One tile: acc[m] += sum over kh, kw, n of ifm[kh][kw][n] * w[kh][kw][m][n] (modulo 2^32), with ifm the
 * k_h x k_w x tn input tile and w the k_h x k_w x tm x tn weight tile. Requantise with inas_conv_requant.
 */
void inas_fc_tile(const int16_t *ifm, const int16_t *w, uint32_t *acc, uint16_t tm, uint16_t tn, uint16_t k_h,
                  uint16_t k_w);

#endif /* INAS_FC_H */
