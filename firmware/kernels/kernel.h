/*
 * kernel.h: what every kernel shares: the SRAM buffer capacities a check validates a tile against.
 * Kernels are context-free functions over a layer descriptor and SRAM pointers; they never call the HAL.
 */
#ifndef INAS_KERNEL_H
#define INAS_KERNEL_H

#include <stdint.h>
#include "../runtime/layer.h"
#include "../runtime/status.h"

/** Element capacities of the engine's static SRAM tile buffers (from the generated model.h). */
typedef struct {
    uint32_t ifm_elems; /* int16 input tile */
    uint32_t w_elems;   /* int16 weight tile */
    uint32_t acc_elems; /* uint32 accumulator tile */
    uint32_t out_elems; /* int16 output tile */
} inas_sram_limits_t;

/** Checks the tile/batch divisibility shared by all tiled kernels (t divides d, all >= 1). */
static inline int inas_divides(uint16_t t, uint16_t d)
{
    return t >= 1u && d >= 1u && (d % t) == 0u;
}

#endif /* INAS_KERNEL_H */
