/* q15_test.c: the q15.h helpers on the shared test vectors (the same vectors test/quant checks for src/quant/q15.ts). */
#include "../runtime/inas_test.h"
#include "../runtime/q15.h"

INAS_TEST(test_sat16)
{
    INAS_EXPECT_EQ(inas_sat16(40000), 32767);
    INAS_EXPECT_EQ(inas_sat16(-40000), -32768);
    INAS_EXPECT_EQ(inas_sat16(-32768), -32768);
    INAS_EXPECT_EQ(inas_sat16(123), 123);
}

INAS_TEST(test_round_shift)
{
    /* Round half up (towards +inf): 5/2 = 2.5 -> 3, -5/2 = -2.5 -> -2, -7/4 = -1.75 -> -2. */
    INAS_EXPECT_EQ(inas_round_shift(5, 1), 3);
    INAS_EXPECT_EQ(inas_round_shift(-5, 1), -2);
    INAS_EXPECT_EQ(inas_round_shift(-7, 2), -2);
    INAS_EXPECT_EQ(inas_round_shift(-6, 2), -1);
    INAS_EXPECT_EQ(inas_round_shift(7, 0), 7);
    INAS_EXPECT_EQ(inas_round_shift(-3, -2), -12);
    INAS_EXPECT_EQ(inas_round_shift(2147483647, 31), 1);
    INAS_EXPECT_EQ(inas_round_shift(-2147483647 - 1, 31), -1);
    INAS_EXPECT_EQ(inas_round_shift(1073741823, 31), 0);
    INAS_EXPECT_EQ(inas_round_shift(1073741824, 31), 1);
}

INAS_TEST(test_requant)
{
    INAS_EXPECT_EQ(inas_requant(1 << 20, 4), 32767);
    INAS_EXPECT_EQ(inas_requant(-(1 << 20), 4), -32768);
    INAS_EXPECT_EQ(inas_requant(1000, -5), 32000);
    INAS_EXPECT_EQ(inas_requant(1100, -5), 32767);
    INAS_EXPECT_EQ(inas_requant(-24, 4), -1); /* -1.5 -> -1 */
    INAS_EXPECT_EQ(inas_requant(-40, 4), -2); /* -2.5 -> -2 */
}

INAS_TEST(test_div_round)
{
    /* Half away from zero with truncating division. */
    INAS_EXPECT_EQ(inas_div_round(5, 2), 3);
    INAS_EXPECT_EQ(inas_div_round(-5, 2), -3);
    INAS_EXPECT_EQ(inas_div_round(7, 3), 2);
    INAS_EXPECT_EQ(inas_div_round(-7, 3), -2);
    INAS_EXPECT_EQ(inas_div_round(-8, 3), -3);
    INAS_EXPECT_EQ(inas_div_round(0, 9), 0);
}

INAS_TEST(test_mac_wraps)
{
    uint32_t acc = 0;
    int i;
    /* 3 * 32767*32767 = 3221028867 > 2^31: wraps to a negative int32. */
    for (i = 0; i < 3; i++) acc = inas_mac(acc, 32767, 32767);
    INAS_EXPECT_EQ(inas_acc_value(acc), (int64_t)3221028867 - 4294967296);
    INAS_EXPECT_EQ(inas_acc_value(inas_mac(0u, -32768, 32767)), -1073709056);
    INAS_EXPECT_EQ(inas_acc_value(0x80000000u), -2147483647 - 1);
}

INAS_TEST(test_relu)
{
    INAS_EXPECT_EQ(inas_relu(-5), 0);
    INAS_EXPECT_EQ(inas_relu(5), 5);
}

INAS_TEST_MAIN_BEGIN
INAS_RUN(test_sat16);
INAS_RUN(test_round_shift);
INAS_RUN(test_requant);
INAS_RUN(test_div_round);
INAS_RUN(test_mac_wraps);
INAS_RUN(test_relu);
INAS_TEST_MAIN_END
