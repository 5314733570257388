/*
 * Toolchain bring-up check for 16-bit MSP430 builds. It prints a greeting, then a hash of many results of every
 * arithmetic helper class clang calls out to (16/32/64-bit multiply, divide, modulo, variable shifts) over
 * pseudo-random operands, and a Q15 multiply-accumulate over a fixed vector. The same file built for the host
 * (-DINAS_BRINGUP_HOST, gcc) prints the expected lines; test/firmware/msp430_toolchain.test.ts compares them.
 * Lines starting with "cycles" are MSP430-only measurements.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef INAS_BRINGUP_HOST
#include <stdio.h>
static void out_char(char c) { putchar(c); }
static uint32_t cycles_now(void) { return 0u; }
#else
#include "intrinsics.h"
#include "platform.h"
static void out_char(char c) { inas_platform_putc(c); }
static uint32_t cycles_now(void) { return inas_platform_cycles(); }
#endif

#define ROUNDS 40u
#define MAC_LEN 64u

static void out_str(const char *s) {
  while (*s != '\0') {
    out_char(*s++);
  }
}

static void out_hex32(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  int16_t i;
  for (i = 7; i >= 0; i--) {
    out_char(digits[(v >> (4 * (uint16_t)i)) & 0xFu]);
  }
}

static void out_dec32(uint32_t v) {
  char buf[11];
  uint16_t n = 0u;
  do {
    buf[n++] = (char)('0' + (char)(v % 10u));
    v /= 10u;
  } while (v != 0u);
  while (n > 0u) {
    out_char(buf[--n]);
  }
}

static void line(const char *name, uint32_t value) {
  out_str(name);
  out_char(' ');
  out_hex32(value);
  out_char('\n');
}

static uint32_t rng_state = 0x2545F491ul;

static uint32_t rng(void) {
  uint32_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rng_state = x;
  return x;
}

typedef struct {
  uint32_t h;
} hash_t;

static void hash_add(hash_t *hs, uint32_t v) {
  uint16_t i;
  for (i = 0u; i < 4u; i++) {
    hs->h ^= (v >> (8u * i)) & 0xFFu;
    hs->h *= 16777619ul;
  }
}

static void hash_add64(hash_t *hs, uint64_t v) {
  hash_add(hs, (uint32_t)v);
  hash_add(hs, (uint32_t)(v >> 32));
}

/* Operands are read through volatile so the compiler cannot fold the helpers away. */
static volatile uint32_t sink32;

#ifndef INAS_BRINGUP_HOST
/* Survives resets (FRAM); .data and .bss are re-initialised by crt0 on every boot. */
static INAS_PERSISTENT uint16_t boots = 0u;
static uint16_t data_marker = 0x1234u;
#endif

static int16_t nonzero16(uint32_t r) {
  int16_t v = (int16_t)(uint16_t)r;
  if (v == 0 || v == -1) {
    v = 7;
  }
  return v;
}

static int32_t nonzero32(uint32_t r, uint16_t shift) {
  int32_t v = (int32_t)(r >> shift);
  if (v == 0 || v == -1) {
    v = 11;
  }
  return v;
}

static int16_t mac_a[MAC_LEN];
static int16_t mac_b[MAC_LEN];

static uint32_t mac_q15(const int16_t *a, const int16_t *b, uint16_t n) {
  uint32_t acc = 0u;
  uint16_t i;
  for (i = 0u; i < n; i++) {
    acc += (uint32_t)((int32_t)a[i] * (int32_t)b[i]);
  }
  return acc;
}

int main(void) {
  hash_t h16 = {2166136261ul};
  hash_t h32 = {2166136261ul};
  hash_t h64 = {2166136261ul};
  hash_t hdiv = {2166136261ul};
  hash_t hshift = {2166136261ul};
  uint16_t i;
  uint32_t t0;
  uint32_t t1;
  uint32_t acc;

#ifndef INAS_BRINGUP_HOST
  inas_platform_init();
#endif
#ifndef INAS_BRINGUP_HOST
  boots++;
  out_str("boot ");
  out_dec32(boots);
  out_str(data_marker == 0x1234u ? " data ok\n" : " data bad\n");
  data_marker = 0u;
#endif
  out_str("hello from inas on msp430\n");
  for (i = 0u; i < ROUNDS; i++) {
    const uint32_t r1 = rng();
    const uint32_t r2 = rng();
    const uint32_t r3 = rng();
    const uint16_t a16 = (uint16_t)r1;
    const uint16_t b16 = (uint16_t)(r2 >> 7);
    const int16_t sa16 = (int16_t)(uint16_t)(r1 >> 16);
    const int16_t sb16 = nonzero16(r3);
    const int32_t sa32 = (int32_t)r2;
    const int32_t sb32 = nonzero32(r3, (uint16_t)(i & 15u));
    const uint64_t a64 = ((uint64_t)r1 << 32) | r2;
    const uint64_t b64 = ((uint64_t)r3 << (i & 31u)) | 1u;
    const int64_t sa64 = (int64_t)a64;
    const int64_t sb64 = (int64_t)((b64 >> (i & 7u)) | 1u) * ((i & 1u) != 0u ? -1 : 1);
    const int16_t sh = (int16_t)(r3 & 31u);

    hash_add(&h16, (uint16_t)((uint32_t)a16 * b16));
    hash_add(&h16, (uint32_t)((int32_t)sa16 * (int32_t)sb16));
    hash_add(&h32, r1 * r2);
    hash_add(&h32, (uint32_t)((int64_t)sa32 * sb32));
    hash_add64(&h64, a64 * b64);
    hash_add64(&h64, (uint64_t)((int64_t)sa32 * (int64_t)sb32));
    hash_add(&hdiv, (uint32_t)(sa16 / sb16));
    hash_add(&hdiv, (uint32_t)(sa16 % sb16));
    hash_add(&hdiv, (uint32_t)(a16 / (uint16_t)(b16 | 1u)));
    hash_add(&hdiv, (uint32_t)(a16 % (uint16_t)(b16 | 1u)));
    hash_add(&hdiv, (uint32_t)(sa32 / sb32));
    hash_add(&hdiv, (uint32_t)(sa32 % sb32));
    hash_add(&hdiv, r1 / (r3 | 1u));
    hash_add(&hdiv, r1 % (r3 | 1u));
    hash_add64(&hdiv, a64 / b64);
    hash_add64(&hdiv, a64 % b64);
    hash_add64(&hdiv, (uint64_t)(sa64 / sb64));
    hash_add64(&hdiv, (uint64_t)(sa64 % sb64));
    hash_add(&hshift, (uint16_t)(a16 << (sh & 15)));
    hash_add(&hshift, (uint16_t)(a16 >> (sh & 15)));
    hash_add(&hshift, (uint32_t)(int32_t)(sa16 >> (sh & 15)));
    hash_add(&hshift, r1 << sh);
    hash_add(&hshift, r1 >> sh);
    hash_add(&hshift, (uint32_t)(sa32 >> sh));
    hash_add64(&hshift, a64 << (sh * 2));
    hash_add64(&hshift, a64 >> (sh * 2));
    hash_add64(&hshift, (uint64_t)(sa64 >> (sh * 2)));
  }
  line("mul16", h16.h);
  line("mul32", h32.h);
  line("mul64", h64.h);
  line("divmod", hdiv.h);
  line("shift", hshift.h);

  for (i = 0u; i < MAC_LEN; i++) {
    mac_a[i] = (int16_t)(uint16_t)rng();
    mac_b[i] = (int16_t)(uint16_t)rng();
  }
  t0 = cycles_now();
  acc = mac_q15(mac_a, mac_b, MAC_LEN);
  t1 = cycles_now();
  sink32 = acc;
  line("mac_q15", acc);
#ifndef INAS_BRINGUP_HOST
  out_str("cycles mac_q15 n=64: ");
  out_dec32(t1 - t0);
  out_char('\n');
#else
  (void)t1;
  (void)t0;
  (void)out_dec32;
#endif
  return 0;
}
