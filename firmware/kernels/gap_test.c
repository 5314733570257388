/* gap_test.c: tiled GAP sums + finish = direct average with div_round; descriptor check. */
#include "../runtime/inas_test.h"
#include "gap.h"
#include "../runtime/q15.h"

INAS_TEST(test_gap)
{
    enum { Hh = 4, Ww = 4, M = 3 };
    static int16_t x[Hh][Ww][M], tile[2 * 2 * M];
    uint32_t sum[M] = {0, 0, 0};
    int16_t out[M];
    int r, c, m, i, j;
    for (r = 0; r < Hh; r++)
        for (c = 0; c < Ww; c++)
            for (m = 0; m < M; m++) x[r][c][m] = inas_test_rand16(-32768, 32767);
    x[0][0][2] = 32767;
    for (r = 0; r < Hh; r += 2)
        for (c = 0; c < Ww; c += 2) {
            for (i = 0; i < 2; i++)
                for (j = 0; j < 2; j++)
                    for (m = 0; m < M; m++) tile[(i * 2 + j) * M + m] = x[r + i][c + j][m];
            inas_gap_tile(tile, sum, 2, 2, M);
        }
    inas_gap_finish(sum, out, M, Hh * Ww);
    for (m = 0; m < M; m++) {
        int32_t s = 0;
        for (r = 0; r < Hh; r++)
            for (c = 0; c < Ww; c++) s += x[r][c][m];
        INAS_EXPECT_EQ(out[m], inas_sat16(inas_div_round(s, Hh * Ww)));
    }
}

INAS_TEST(test_gap_check)
{
    inas_layer_t l = {0};
    const inas_sram_limits_t lim = {1000, 1000, 1000, 1000};
    l.type = INAS_LAYER_GAP; l.order = INAS_ORDER_REUSE_O;
    l.in_h = 8; l.in_w = 8; l.in_c = 24; l.k_h = 8; l.k_w = 8; l.out_h = 1; l.out_w = 1; l.out_c = 24;
    l.tr = 1; l.tc = 8; l.tm = 24; l.tn = 1; l.s = 8; l.tiles = 8;
    INAS_EXPECT_EQ(inas_gap_check(&l, &lim), INAS_OK);
    l.order = INAS_ORDER_REUSE_I;
    INAS_EXPECT_EQ(inas_gap_check(&l, &lim), INAS_E_ORDER);
    l.order = INAS_ORDER_REUSE_O; l.s = 3;
    INAS_EXPECT_EQ(inas_gap_check(&l, &lim), INAS_E_S_DIVIDE);
}

INAS_TEST_MAIN_BEGIN
INAS_RUN(test_gap);
INAS_RUN(test_gap_check);
INAS_TEST_MAIN_END
