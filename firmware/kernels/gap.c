/* gap.c: global average pooling kernel (see gap.h). */
#include "gap.h"
#include "../runtime/q15.h"
#include "../runtime/check.h"

inas_status_t inas_gap_check(const inas_layer_t *l, const inas_sram_limits_t *lim)
{
    uint32_t iters;
    INAS_CHECK(l->type == INAS_LAYER_GAP, INAS_E_LAYER_TYPE);
    INAS_CHECK(l->out_h == 1u && l->out_w == 1u && l->out_c == l->in_c && l->in_c >= 1u, INAS_E_SHAPE);
    INAS_CHECK(l->k_h == l->in_h && l->k_w == l->in_w, INAS_E_SHAPE);
    INAS_CHECK((uint32_t)l->in_h * l->in_w <= 65535u, INAS_E_WINDOW);
    INAS_CHECK(l->order == INAS_ORDER_REUSE_O, INAS_E_ORDER);
    INAS_CHECK(inas_divides(l->tr, l->in_h) && inas_divides(l->tc, l->in_w) && inas_divides(l->tm, l->in_c),
               INAS_E_TILE_DIVIDE);
    iters = (uint32_t)(l->in_h / l->tr) * (uint32_t)(l->in_w / l->tc);
    INAS_CHECK(l->tiles == iters * (uint32_t)(l->in_c / l->tm), INAS_E_SHAPE);
    INAS_CHECK(l->s >= 1u && (iters % l->s) == 0u, INAS_E_S_DIVIDE);
    INAS_CHECK((uint32_t)l->tr * l->tc * l->tm <= lim->ifm_elems, INAS_E_SRAM);
    INAS_CHECK((uint32_t)l->tm <= lim->acc_elems && (uint32_t)l->tm <= lim->out_elems, INAS_E_SRAM);
    return INAS_OK;
}

void inas_gap_tile(const int16_t *ifm, uint32_t *sum, uint16_t tr, uint16_t tc, uint16_t tm)
{
    const uint32_t px = (uint32_t)tr * tc;
    uint32_t p;
    uint16_t m;
    for (p = 0; p < px; p++) {
        const int16_t *x = ifm + p * tm;
        for (m = 0; m < tm; m++) sum[m] += (uint32_t)(int32_t)x[m];
    }
}

void inas_gap_finish(const uint32_t *sum, int16_t *out, uint16_t tm, uint32_t window)
{
    uint16_t m;
    for (m = 0; m < tm; m++) out[m] = inas_sat16((int64_t)inas_div_round(inas_acc_value(sum[m]), window));
}
