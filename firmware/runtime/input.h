/*
 * input.h: where the engine gets the input vector of an inference (Q15, HWC, model input size). The default
 * (input_golden.c) serves the dumper's golden test inputs in turn; a transport (firmware/proto) may link another
 * implementation that receives inputs over the serial line.
 */
#ifndef INAS_INPUT_H
#define INAS_INPUT_H

#include <stdint.h>
#include "status.h"

/** Copies elements [offset, offset + n) of the input of `inference` to dst. */
inas_status_t inas_input_read(uint32_t inference, uint32_t offset, int16_t *dst, uint32_t n);

#endif /* INAS_INPUT_H */
