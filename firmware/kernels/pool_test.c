/* pool_test.c: max and average pooling tiles vs direct windows; descriptor check. */
#include "../runtime/inas_test.h"
#include "pool.h"
#include "../runtime/q15.h"

INAS_TEST(test_pool)
{
    enum { Hh = 4, Ww = 6, M = 2, K = 2 };
    static int16_t x[Hh * Ww * M];
    int16_t out[(Hh / K) * (Ww / K) * M];
    int r, c, m, i, j, kind;
    for (i = 0; i < Hh * Ww * M; i++) x[i] = inas_test_rand16(-32768, 32767);
    x[0] = -32768; x[2] = -32768; x[Ww * M] = -32768; x[Ww * M + 2] = -32768; /* an all-minimum window */
    for (kind = 0; kind < 2; kind++) {
        inas_pool_tile(x, out, Hh / K, Ww / K, M, K, K, (uint8_t)kind);
        for (r = 0; r < Hh / K; r++)
            for (c = 0; c < Ww / K; c++)
                for (m = 0; m < M; m++) {
                    int16_t best = -32768;
                    int32_t s = 0;
                    for (i = 0; i < K; i++)
                        for (j = 0; j < K; j++) {
                            const int16_t v = x[((r * K + i) * Ww + c * K + j) * M + m];
                            if (v > best) best = v;
                            s += v;
                        }
                    INAS_EXPECT_EQ(out[(r * (Ww / K) + c) * M + m], kind == 0 ? best : inas_sat16(inas_div_round(s, K * K)));
                }
    }
    INAS_EXPECT_EQ(out[0], -32768);
}

INAS_TEST(test_pool_check)
{
    inas_layer_t l = {0};
    const inas_sram_limits_t lim = {1000, 1000, 1000, 1000};
    l.type = INAS_LAYER_POOL; l.order = INAS_ORDER_REUSE_O; l.pool_kind = INAS_POOL_MAX;
    l.in_h = 8; l.in_w = 8; l.in_c = 4; l.k_h = 2; l.k_w = 2; l.out_h = 4; l.out_w = 4; l.out_c = 4;
    l.tr = 2; l.tc = 2; l.tm = 2; l.tn = 1; l.s = 2; l.tiles = 2u * 2u * 2u;
    INAS_EXPECT_EQ(inas_pool_check(&l, &lim), INAS_OK);
    l.pool_kind = 9;
    INAS_EXPECT_EQ(inas_pool_check(&l, &lim), INAS_E_LAYER_TYPE);
    l.pool_kind = INAS_POOL_AVG; l.out_h = 3;
    INAS_EXPECT_EQ(inas_pool_check(&l, &lim), INAS_E_SHAPE);
}

INAS_TEST_MAIN_BEGIN
INAS_RUN(test_pool);
INAS_RUN(test_pool_check);
INAS_TEST_MAIN_END
