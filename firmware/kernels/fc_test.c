/* fc_test.c: tiled FC = direct matrix-vector product (wrapping), and the FC descriptor check. */
#include "../runtime/inas_test.h"
#include "fc.h"
#include "../runtime/q15.h"

#define IH 5
#define IW 1
#define N 4
#define M 6

INAS_TEST(test_fc_tiles)
{
    static int16_t x[IH * IW * N], w[IH * IW * M * N], ti[IH * IW * N], tw[IH * IW * M * N];
    static uint32_t acc[M];
    const int tms[3] = {1, 2, 6}, tns[3] = {1, 2, 4};
    int a, b, i, m, n, p, mm, nn;
    for (i = 0; i < IH * IW * N; i++) x[i] = inas_test_rand16(-32768, 32767);
    for (i = 0; i < IH * IW * M * N; i++) w[i] = inas_test_rand16(-32768, 32767);
    for (a = 0; a < 3; a++)
        for (b = 0; b < 3; b++) {
            const int tm = tms[a], tn = tns[b];
            for (m = 0; m < M; m += tm) {
                for (i = 0; i < tm; i++) acc[i] = 0;
                for (n = 0; n < N; n += tn) {
                    for (p = 0; p < IH * IW; p++) {
                        for (nn = 0; nn < tn; nn++) ti[p * tn + nn] = x[p * N + n + nn];
                        for (mm = 0; mm < tm; mm++)
                            for (nn = 0; nn < tn; nn++) tw[(p * tm + mm) * tn + nn] = w[(p * M + m + mm) * N + n + nn];
                    }
                    inas_fc_tile(ti, tw, acc, (uint16_t)tm, (uint16_t)tn, IH, IW);
                }
                for (mm = 0; mm < tm; mm++) {
                    int64_t s = 0;
                    for (p = 0; p < IH * IW; p++)
                        for (nn = 0; nn < N; nn++) s += (int64_t)x[p * N + nn] * w[(p * M + m + mm) * N + nn];
                    INAS_EXPECT_EQ(inas_acc_value(acc[mm]), inas_acc_value((uint32_t)(uint64_t)s));
                }
            }
        }
}

INAS_TEST(test_fc_check)
{
    inas_layer_t l = {0};
    const inas_sram_limits_t lim = {1000, 1000, 1000, 1000};
    l.type = INAS_LAYER_FC; l.order = INAS_ORDER_REUSE_O; l.weight_bits = 8;
    l.in_h = 5; l.in_w = 1; l.in_c = 4; l.k_h = 5; l.k_w = 1; l.out_h = 1; l.out_w = 1; l.out_c = 6;
    l.tr = 1; l.tc = 1; l.tm = 3; l.tn = 2; l.s = 2; l.tiles = 4; l.w_size_bytes = 5u * 4u * 6u;
    INAS_EXPECT_EQ(inas_fc_check(&l, &lim), INAS_OK);
    l.order = INAS_ORDER_REUSE_W; /* iters = 1: S must be 1 */
    INAS_EXPECT_EQ(inas_fc_check(&l, &lim), INAS_E_S_DIVIDE);
    l.order = 7;
    INAS_EXPECT_EQ(inas_fc_check(&l, &lim), INAS_E_ORDER);
    l.order = INAS_ORDER_REUSE_O; l.k_h = 4;
    INAS_EXPECT_EQ(inas_fc_check(&l, &lim), INAS_E_SHAPE);
    l.k_h = 5; l.weight_bits = 4;
    INAS_EXPECT_EQ(inas_fc_check(&l, &lim), INAS_E_WEIGHT_BITS);
}

INAS_TEST_MAIN_BEGIN
INAS_RUN(test_fc_tiles);
INAS_RUN(test_fc_check);
INAS_TEST_MAIN_END
