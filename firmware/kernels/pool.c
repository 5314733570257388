/* pool.c: pooling kernel (see pool.h). */
#include "pool.h"
#include "../runtime/q15.h"
#include "../runtime/check.h"

inas_status_t inas_pool_check(const inas_layer_t *l, const inas_sram_limits_t *lim)
{
    uint32_t iters;
    INAS_CHECK(l->type == INAS_LAYER_POOL, INAS_E_LAYER_TYPE);
    INAS_CHECK(l->pool_kind == INAS_POOL_MAX || l->pool_kind == INAS_POOL_AVG, INAS_E_LAYER_TYPE);
    INAS_CHECK(l->k_h >= 1u && l->k_w >= 1u && l->k_h <= l->in_h && l->k_w <= l->in_w, INAS_E_SHAPE);
    INAS_CHECK(l->out_h == l->in_h / l->k_h && l->out_w == l->in_w / l->k_w && l->out_c == l->in_c, INAS_E_SHAPE);
    INAS_CHECK((uint32_t)l->k_h * l->k_w <= 65535u, INAS_E_WINDOW);
    INAS_CHECK(l->order == INAS_ORDER_REUSE_O, INAS_E_ORDER);
    INAS_CHECK(inas_divides(l->tr, l->out_h) && inas_divides(l->tc, l->out_w) && inas_divides(l->tm, l->out_c),
               INAS_E_TILE_DIVIDE);
    iters = (uint32_t)(l->out_c / l->tm);
    INAS_CHECK(l->tiles == iters * (uint32_t)(l->out_h / l->tr) * (uint32_t)(l->out_w / l->tc), INAS_E_SHAPE);
    INAS_CHECK(l->s >= 1u && (iters % l->s) == 0u, INAS_E_S_DIVIDE);
    INAS_CHECK((uint32_t)l->tr * l->k_h * l->tc * l->k_w * l->tm <= lim->ifm_elems, INAS_E_SRAM);
    INAS_CHECK((uint32_t)l->tr * l->tc * l->tm <= lim->out_elems, INAS_E_SRAM);
    return INAS_OK;
}

void inas_pool_tile(const int16_t *ifm, int16_t *out, uint16_t tr, uint16_t tc, uint16_t tm, uint16_t k_h,
                    uint16_t k_w, uint8_t kind)
{
    const uint32_t tci = (uint32_t)tc * k_w;
    const uint32_t window = (uint32_t)k_h * k_w;
    uint16_t r, c, m, i, j;
    for (r = 0; r < tr; r++) {
        for (c = 0; c < tc; c++) {
            for (m = 0; m < tm; m++) {
                int16_t best = (int16_t)-32768;
                int32_t sum = 0;
                for (i = 0; i < k_h; i++) {
                    for (j = 0; j < k_w; j++) {
                        const int16_t x = ifm[(((uint32_t)r * k_h + i) * tci + (uint32_t)c * k_w + j) * tm + m];
                        if (x > best) best = x;
                        sum += x;
                    }
                }
                out[((uint32_t)r * tc + c) * tm + m] =
                    kind == INAS_POOL_MAX ? best : inas_sat16((int64_t)inas_div_round(sum, window));
            }
        }
    }
}
