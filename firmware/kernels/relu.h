/* relu.h: in-place ReLU on requantised Q15 outputs (Q15.md: after requantisation, every layer but FC_END). */
#ifndef INAS_RELU_H
#define INAS_RELU_H

#include "kernel.h"

/** ReLU may follow any layer (Q15.md: CONV/FC; the reference also honours it after GAP/POOL): relu must be 0 or 1. */
inas_status_t inas_relu_check(const inas_layer_t *l);

/** x[i] = max(x[i], 0) for i < n. */
void inas_relu_tile(int16_t *x, uint32_t n);

#endif /* INAS_RELU_H */
