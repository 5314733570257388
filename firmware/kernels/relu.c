/* relu.c: ReLU kernel (see relu.h). */
#include "relu.h"
#include "../runtime/q15.h"
#include "../runtime/check.h"

inas_status_t inas_relu_check(const inas_layer_t *l)
{
    INAS_CHECK(l->relu <= 1u, INAS_E_LAYER_TYPE);
    return INAS_OK;
}

void inas_relu_tile(int16_t *x, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) x[i] = inas_relu(x[i]);
}
