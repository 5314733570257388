/* input_golden.c: inputs from the generated golden.h: inference k uses golden vector k mod INAS_GOLDEN_COUNT. */
#include <string.h>
#include "input.h"
#include "golden.h"

inas_status_t inas_input_read(uint32_t inference, uint32_t offset, int16_t *dst, uint32_t n)
{
    const uint32_t k = inference % (uint32_t)INAS_GOLDEN_COUNT;
    if (offset + n > (uint32_t)INAS_GOLDEN_INPUT_ELEMS) return INAS_E_INPUT;
    memcpy(dst, &inas_golden_inputs[k * (uint32_t)INAS_GOLDEN_INPUT_ELEMS + offset], (size_t)n * sizeof(int16_t));
    return INAS_OK;
}
