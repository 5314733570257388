/* conv_test.c: tiled convolution = direct convolution, for 2-D and 1-D shapes and every tiling of a small layer. */
#include "../runtime/inas_test.h"
#include "conv.h"
#include "../runtime/q15.h"

#define H 6
#define W 5
#define N 4
#define M 4
#define KH 3
#define KW 2

static int16_t x[H][W][N], w[KH][KW][M][N];

/* Direct (untiled) accumulator of output (r, c, m), int64 then wrapped to 32 bits. */
static int32_t direct(int r, int c, int m, int kh_n, int kw_n)
{
    int64_t s = 0;
    int kh, kw, n;
    for (kh = 0; kh < kh_n; kh++)
        for (kw = 0; kw < kw_n; kw++)
            for (n = 0; n < N; n++) s += (int64_t)x[r + kh][c + kw][n] * w[kh][kw][m][n];
    return inas_acc_value((uint32_t)(uint64_t)s);
}

/* Runs the tile kernel over every (r, c, m, n) tile of the layer and compares every accumulator. */
static void check_tiling(int tr, int tc, int tm, int tn, int kh_n, int kw_n)
{
    static int16_t ti[(H) * (W) * N], tw[KH * KW * M * N];
    static uint32_t acc[H * W * M];
    const int R = H - kh_n + 1, C = W - kw_n + 1;
    int r, c, m, n, i, j, kh, kw, mm, nn;
    for (r = 0; r < R; r += tr)
        for (c = 0; c < C; c += tc)
            for (m = 0; m < M; m += tm) {
                for (i = 0; i < tr * tc * tm; i++) acc[i] = 0;
                for (n = 0; n < N; n += tn) {
                    for (i = 0; i < tr + kh_n - 1; i++)
                        for (j = 0; j < tc + kw_n - 1; j++)
                            for (nn = 0; nn < tn; nn++) ti[(i * (tc + kw_n - 1) + j) * tn + nn] = x[r + i][c + j][n + nn];
                    for (kh = 0; kh < kh_n; kh++)
                        for (kw = 0; kw < kw_n; kw++)
                            for (mm = 0; mm < tm; mm++)
                                for (nn = 0; nn < tn; nn++) tw[((kh * kw_n + kw) * tm + mm) * tn + nn] = w[kh][kw][m + mm][n + nn];
                    inas_conv_tile(ti, tw, acc, (uint16_t)tr, (uint16_t)tc, (uint16_t)tm, (uint16_t)tn, (uint16_t)kh_n, (uint16_t)kw_n);
                }
                for (i = 0; i < tr; i++)
                    for (j = 0; j < tc; j++)
                        for (mm = 0; mm < tm; mm++)
                            INAS_EXPECT_EQ(inas_acc_value(acc[(i * tc + j) * tm + mm]), direct(r + i, c + j, m + mm, kh_n, kw_n));
            }
}

INAS_TEST(test_conv_tilings)
{
    int r, c, n, m;
    for (r = 0; r < H; r++)
        for (c = 0; c < W; c++)
            for (n = 0; n < N; n++) x[r][c][n] = inas_test_rand16(-32768, 32767);
    for (r = 0; r < KH; r++)
        for (c = 0; c < KW; c++)
            for (m = 0; m < M; m++)
                for (n = 0; n < N; n++) w[r][c][m][n] = inas_test_rand16(-32768, 32767);
    check_tiling(1, 1, 1, 1, KH, KW);
    check_tiling(2, 2, 2, 2, KH, KW);
    check_tiling(4, 4, 4, 4, KH, KW);
    check_tiling(1, 2, 4, 1, KH, KW);
    check_tiling(2, 1, 1, 4, KH, 1); /* 1-D-like column kernel */
}

INAS_TEST(test_requant_and_check)
{
    const uint32_t acc[3] = {(uint32_t)100, (uint32_t)-100, 0x7FFFFFFFu};
    int16_t out[3];
    inas_layer_t l = {0};
    const inas_sram_limits_t lim = {1000, 1000, 1000, 1000};
    inas_conv_requant(acc, out, 3, 3);
    INAS_EXPECT_EQ(out[0], 13); /* 12.5 -> 13 */
    INAS_EXPECT_EQ(out[1], -12); /* -12.5 -> -12 */
    INAS_EXPECT_EQ(out[2], 32767);
    l.type = INAS_LAYER_CONV; l.order = INAS_ORDER_REUSE_I; l.weight_bits = 16;
    l.in_h = 6; l.in_w = 6; l.in_c = 4; l.k_h = 3; l.k_w = 3; l.out_h = 4; l.out_w = 4; l.out_c = 8;
    l.tr = 2; l.tc = 4; l.tm = 2; l.tn = 4; l.s = 2; l.shift = 10;
    l.w_size_bytes = 3u * 3u * 4u * 8u * 2u;
    l.tiles = 2u * 1u * 4u * 1u;
    INAS_EXPECT_EQ(inas_conv_check(&l, &lim), INAS_OK);
    l.s = 3; /* does not divide M/Tm = 4 */
    INAS_EXPECT_EQ(inas_conv_check(&l, &lim), INAS_E_S_DIVIDE);
    l.s = 2; l.tr = 3;
    INAS_EXPECT_EQ(inas_conv_check(&l, &lim), INAS_E_TILE_DIVIDE);
    l.tr = 2; l.shift = 40;
    INAS_EXPECT_EQ(inas_conv_check(&l, &lim), INAS_E_SHIFT);
    l.shift = 10; l.out_h = 5;
    INAS_EXPECT_EQ(inas_conv_check(&l, &lim), INAS_E_SHAPE);
    l.out_h = 4;
    {
        const inas_sram_limits_t small = {10, 1000, 1000, 1000};
        INAS_EXPECT_EQ(inas_conv_check(&l, &small), INAS_E_SRAM);
    }
}

INAS_TEST_MAIN_BEGIN
INAS_RUN(test_conv_tilings);
INAS_RUN(test_requant_and_check);
INAS_TEST_MAIN_END
