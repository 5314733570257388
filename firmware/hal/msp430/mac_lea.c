/*
 * Q15 dot product on the LEA through TI's DSPLib (built only when DSPLIB_PATH is given). msp_mac_q15 returns the
 * sum of products as an _iq31, i.e. twice the integer sum; inas needs the plain sum modulo 2^32. Whether the LEA's
 * result equals that for every input (large sums, odd lengths, saturation) is not something this code assumes:
 * inas_board_lea_init() runs both paths on a fixed test vector and the HAL uses the LEA only when they agree.
 * Operands are copied into LEA RAM (4-byte aligned, even length) first, as DSPLib requires.
 */
#include <stdint.h>

#include "DSPLib.h"
#include "board.h"
#include "intrinsics.h"

#define LEA_MAX_LEN 256u
#define SELFTEST_LEN 37u

static INAS_LEA_RAM int16_t lea_a[LEA_MAX_LEN];
static INAS_LEA_RAM int16_t lea_b[LEA_MAX_LEN];
static INAS_LEA_RAM _iq31 lea_result;

static uint32_t lea_chunk(const int16_t *a, const int16_t *b, uint16_t n) {
  msp_mac_q15_params params;
  uint16_t i;
  const uint16_t even = (uint16_t)((n + 1u) & (uint16_t)~1u);
  for (i = 0u; i < n; i++) {
    lea_a[i] = a[i];
    lea_b[i] = b[i];
  }
  if (even != n) {
    lea_a[n] = 0;
    lea_b[n] = 0;
  }
  params.length = even;
  if (msp_mac_q15(&params, lea_a, lea_b, &lea_result) != MSP_SUCCESS) {
    return inas_board_mac_q15_mpy32(a, b, n);
  }
  return (uint32_t)lea_result >> 1 | ((uint32_t)lea_result & 0x80000000ul);
}

uint32_t inas_board_mac_q15_lea(const int16_t *a, const int16_t *b, uint16_t n) {
  uint32_t acc = 0u;
  while (n > 0u) {
    const uint16_t k = n > LEA_MAX_LEN ? LEA_MAX_LEN : n;
    acc += lea_chunk(a, b, k);
    a += k;
    b += k;
    n = (uint16_t)(n - k);
  }
  return acc;
}

uint16_t inas_board_lea_init(void) {
  int16_t x[SELFTEST_LEN];
  int16_t y[SELFTEST_LEN];
  uint16_t i;
  uint16_t seed = 0xACE1u;
  for (i = 0u; i < SELFTEST_LEN; i++) {
    seed = (uint16_t)((seed >> 1) ^ (uint16_t)(-(int16_t)(seed & 1u) & 0xB400u));
    x[i] = (int16_t)seed;
    y[i] = (int16_t)(seed ^ 0x5A5Au);
  }
  x[0] = INT16_MIN;
  y[0] = INT16_MIN;
  return inas_board_mac_q15_lea(x, y, SELFTEST_LEN) == inas_board_mac_q15_mpy32(x, y, SELFTEST_LEN) ? 1u : 0u;
}
