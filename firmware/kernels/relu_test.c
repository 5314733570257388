/* relu_test.c: ReLU tile and check. */
#include "../runtime/inas_test.h"
#include "relu.h"

INAS_TEST(test_relu_tile)
{
    int16_t x[5] = {-32768, -1, 0, 1, 32767};
    inas_layer_t l = {0};
    inas_relu_tile(x, 5);
    INAS_EXPECT_EQ(x[0], 0);
    INAS_EXPECT_EQ(x[1], 0);
    INAS_EXPECT_EQ(x[2], 0);
    INAS_EXPECT_EQ(x[3], 1);
    INAS_EXPECT_EQ(x[4], 32767);
    l.type = INAS_LAYER_GAP; l.relu = 2;
    INAS_EXPECT_EQ(inas_relu_check(&l), INAS_E_LAYER_TYPE);
    l.relu = 1;
    INAS_EXPECT_EQ(inas_relu_check(&l), INAS_OK);
}

INAS_TEST_MAIN_BEGIN
INAS_RUN(test_relu_tile);
INAS_TEST_MAIN_END
