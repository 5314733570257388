/* conv.c: tiled convolution kernel (see conv.h). */
#include "conv.h"
#include "../runtime/q15.h"
#include "../runtime/check.h"

inas_status_t inas_conv_check(const inas_layer_t *l, const inas_sram_limits_t *lim)
{
    uint32_t rt, ct, mt, nt, iters, tri, tci;
    INAS_CHECK(l->type == INAS_LAYER_CONV, INAS_E_LAYER_TYPE);
    INAS_CHECK(l->k_h >= 1u && l->k_w >= 1u && l->k_h <= l->in_h && l->k_w <= l->in_w, INAS_E_SHAPE);
    INAS_CHECK(l->out_h == (uint16_t)(l->in_h - l->k_h + 1u) && l->out_w == (uint16_t)(l->in_w - l->k_w + 1u), INAS_E_SHAPE);
    INAS_CHECK(l->in_c >= 1u && l->out_c >= 1u, INAS_E_SHAPE);
    INAS_CHECK(l->weight_bits == 16u || l->weight_bits == 8u, INAS_E_WEIGHT_BITS);
    INAS_CHECK(l->w_size_bytes == (uint32_t)l->k_h * l->k_w * l->in_c * l->out_c * (l->weight_bits / 8u), INAS_E_SHAPE);
    INAS_CHECK(inas_divides(l->tr, l->out_h) && inas_divides(l->tc, l->out_w) && inas_divides(l->tm, l->out_c) &&
                   inas_divides(l->tn, l->in_c),
               INAS_E_TILE_DIVIDE);
    INAS_CHECK(l->shift >= -15 && l->shift <= 31, INAS_E_SHIFT);
    rt = l->out_h / l->tr;
    ct = l->out_w / l->tc;
    mt = l->out_c / l->tm;
    nt = l->in_c / l->tn;
    INAS_CHECK(l->tiles == rt * ct * mt * nt, INAS_E_SHAPE);
    switch (l->order) {
    case INAS_ORDER_REUSE_I: iters = mt; break;
    case INAS_ORDER_REUSE_W: iters = rt * ct; break;
    case INAS_ORDER_REUSE_O: iters = nt; break;
    default: return INAS_E_ORDER;
    }
    INAS_CHECK(l->s >= 1u && (iters % l->s) == 0u, INAS_E_S_DIVIDE);
    tri = (uint32_t)l->tr + l->k_h - 1u;
    tci = (uint32_t)l->tc + l->k_w - 1u;
    INAS_CHECK(tri * tci * l->tn <= lim->ifm_elems, INAS_E_SRAM);
    INAS_CHECK((uint32_t)l->k_h * l->k_w * l->tm * l->tn <= lim->w_elems, INAS_E_SRAM);
    INAS_CHECK((uint32_t)l->tr * l->tc * l->tm <= lim->acc_elems, INAS_E_SRAM);
    INAS_CHECK((uint32_t)l->tr * l->tc * l->tm <= lim->out_elems, INAS_E_SRAM);
    return INAS_OK;
}

void inas_conv_tile(const int16_t *ifm, const int16_t *w, uint32_t *acc, uint16_t tr, uint16_t tc, uint16_t tm,
                    uint16_t tn, uint16_t k_h, uint16_t k_w)
{
    const uint16_t tci = (uint16_t)(tc + k_w - 1u);
    uint16_t r, c, kh, kw, m;
    for (r = 0; r < tr; r++) {
        for (c = 0; c < tc; c++) {
            uint32_t *a = acc + ((uint32_t)r * tc + c) * tm;
            for (kh = 0; kh < k_h; kh++) {
                for (kw = 0; kw < k_w; kw++) {
                    const int16_t *x = ifm + ((uint32_t)(r + kh) * tci + (uint32_t)(c + kw)) * tn;
                    const int16_t *wk = w + ((uint32_t)kh * k_w + kw) * tm * tn;
                    for (m = 0; m < tm; m++) {
                        const int16_t *wm = wk + (uint32_t)m * tn;
                        a[m] = inas_dot_q15(a[m], x, wm, tn);
                    }
                }
            }
        }
    }
}

void inas_conv_requant(const uint32_t *acc, int16_t *out, uint32_t n, int16_t shift)
{
    uint32_t i;
    for (i = 0; i < n; i++) out[i] = inas_requant(inas_acc_value(acc[i]), shift);
}
