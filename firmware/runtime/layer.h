/*
 * layer.h: the layer descriptor and model table the dumper generates (templates/model.h.hbs), and the NVM
 * address type. Plain data; kernels read descriptors, the engine walks them.
 */
#ifndef INAS_LAYER_H
#define INAS_LAYER_H

#include <stdint.h>

/** NVM byte address (32 bits: the external FRAM is larger than 64 KiB). */
typedef uint32_t inas_nvm_addr_t;

/* Layer kinds (uint8_t in the descriptor). */
#define INAS_LAYER_CONV 0u
#define INAS_LAYER_FC 1u
#define INAS_LAYER_POOL 2u
#define INAS_LAYER_GAP 3u

/* Inter-tile loop orders (values of the original's LOOPORDER_t). */
#define INAS_ORDER_REUSE_O 0u /* nest r, c, m, n; S batches consecutive n-tiles */
#define INAS_ORDER_REUSE_I 1u /* nest r, c, n, m; S batches consecutive m-tiles */
#define INAS_ORDER_REUSE_W 2u /* nest m, n, r, c; S batches consecutive (r, c)-tiles */

/* Pooling kinds. */
#define INAS_POOL_MAX 0u
#define INAS_POOL_AVG 1u

/**
 * One layer. Shapes are HWC. For CONV/FC: out = conv(in, kernel k_h x k_w, in_c -> out_c), stride 1, valid
 * padding; FC has k_h = in_h, k_w = in_w and a 1x1 output. POOL: window k_h x k_w with stride k_h (non-overlapping),
 * out_c = in_c. GAP: k_h = in_h, k_w = in_w, 1x1 output.
 * Design: tile sizes tr/tc (output rows/cols; GAP: input rows/cols), tm (output channels), tn (input channels),
 * order (INAS_ORDER_*), s (preservation batch, tiles per commit).
 */
typedef struct {
    uint8_t type;        /* INAS_LAYER_* */
    uint8_t order;       /* INAS_ORDER_* */
    uint8_t relu;        /* 1: ReLU after requantisation */
    uint8_t pool_kind;   /* INAS_POOL_* (POOL only) */
    uint8_t weight_bits; /* 16 or 8 (CONV/FC), 0 otherwise */
    uint8_t reserved;
    int16_t shift;       /* requantisation shift s = f_x + f_w - f_y (CONV/FC) */
    uint16_t in_h, in_w, in_c;
    uint16_t out_h, out_w, out_c;
    uint16_t k_h, k_w;
    uint16_t tr, tc, tm, tn, s;
    inas_nvm_addr_t ifm_addr;
    inas_nvm_addr_t ofm_addr;
    inas_nvm_addr_t w_addr;    /* weights in [k_h][k_w][out_c][in_c] order (n fastest) */
    uint32_t w_size_bytes;
    uint32_t tiles;            /* tiles of the layer (the schedule length) */
} inas_layer_t;

/** A model: the layer table plus the NVM layout it was dumped for. */
typedef struct {
    const inas_layer_t *layers;
    uint16_t num_layers;
    uint16_t classes;
    uint32_t model_id;          /* CRC32 of the layer table + weights, from the dumper */
    uint32_t input_elems;
    inas_nvm_addr_t input_addr; /* = layers[0].ifm_addr */
    inas_nvm_addr_t output_addr;/* = layers[num_layers - 1].ofm_addr */
    inas_nvm_addr_t psum_addr[2];
    uint32_t psum_elems;        /* int32 elements per psum buffer */
    inas_nvm_addr_t weights_addr;
    uint32_t weights_size_bytes;
    uint32_t weights_crc32;
    uint32_t nvm_size_bytes;
} inas_model_t;

#endif /* INAS_LAYER_H */
