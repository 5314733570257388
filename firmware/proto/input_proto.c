/* input_proto.c: the input of inference k is built-in golden input k mod INAS_GOLDEN_COUNT (as RESULT.sample says). */
#include "input.h"
#include "golden.h"

inas_status_t inas_input_read(uint32_t inference, uint32_t offset, int16_t *dst, uint32_t n)
{
  const uint32_t k = inference % (uint32_t)INAS_GOLDEN_COUNT;
  uint32_t i;
  if (offset > (uint32_t)INAS_GOLDEN_INPUT_ELEMS || n > (uint32_t)INAS_GOLDEN_INPUT_ELEMS - offset) return INAS_E_INPUT;
  for (i = 0; i < n; i++) dst[i] = inas_golden_inputs[k * (uint32_t)INAS_GOLDEN_INPUT_ELEMS + offset + i];
  return INAS_OK;
}
