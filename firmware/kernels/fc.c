/* fc.c: fully connected tile kernel (see fc.h). */
#include "fc.h"
#include "../runtime/q15.h"
#include "../runtime/check.h"

inas_status_t inas_fc_check(const inas_layer_t *l, const inas_sram_limits_t *lim)
{
    uint32_t mt, nt, iters;
    INAS_CHECK(l->type == INAS_LAYER_FC, INAS_E_LAYER_TYPE);
    INAS_CHECK(l->k_h == l->in_h && l->k_w == l->in_w && l->out_h == 1u && l->out_w == 1u, INAS_E_SHAPE);
    INAS_CHECK(l->in_c >= 1u && l->out_c >= 1u && l->in_h >= 1u && l->in_w >= 1u, INAS_E_SHAPE);
    INAS_CHECK(l->weight_bits == 16u || l->weight_bits == 8u, INAS_E_WEIGHT_BITS);
    INAS_CHECK(l->w_size_bytes == (uint32_t)l->k_h * l->k_w * l->in_c * l->out_c * (l->weight_bits / 8u), INAS_E_SHAPE);
    INAS_CHECK(l->tr == 1u && l->tc == 1u && inas_divides(l->tm, l->out_c) && inas_divides(l->tn, l->in_c),
               INAS_E_TILE_DIVIDE);
    INAS_CHECK(l->shift >= -15 && l->shift <= 31, INAS_E_SHIFT);
    mt = l->out_c / l->tm;
    nt = l->in_c / l->tn;
    INAS_CHECK(l->tiles == mt * nt, INAS_E_SHAPE);
    switch (l->order) {
    case INAS_ORDER_REUSE_I: iters = mt; break;
    case INAS_ORDER_REUSE_W: iters = 1u; break;
    case INAS_ORDER_REUSE_O: iters = nt; break;
    default: return INAS_E_ORDER;
    }
    INAS_CHECK(l->s >= 1u && (iters % l->s) == 0u, INAS_E_S_DIVIDE);
    INAS_CHECK((uint32_t)l->k_h * l->k_w * l->tn <= lim->ifm_elems, INAS_E_SRAM);
    INAS_CHECK((uint32_t)l->k_h * l->k_w * l->tm * l->tn <= lim->w_elems, INAS_E_SRAM);
    INAS_CHECK((uint32_t)l->tm <= lim->acc_elems && (uint32_t)l->tm <= lim->out_elems, INAS_E_SRAM);
    return INAS_OK;
}

void inas_fc_tile(const int16_t *ifm, const int16_t *w, uint32_t *acc, uint16_t tm, uint16_t tn, uint16_t k_h,
                  uint16_t k_w)
{
    const uint32_t taps = (uint32_t)k_h * k_w;
    uint32_t p;
    uint16_t m;
    for (p = 0; p < taps; p++) {
        const int16_t *x = ifm + p * tn;
        const int16_t *wp = w + p * tm * tn;
        for (m = 0; m < tm; m++) {
            const int16_t *wm = wp + (uint32_t)m * tn;
            acc[m] = inas_dot_q15(acc[m], x, wm, tn);
        }
    }
}
