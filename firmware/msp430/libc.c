/*
 * The few C library functions the firmware and clang's code generator need (clang emits calls to memcpy/memset for
 * struct copies and zeroing loops). Byte loops: small, and never turned back into calls to themselves because
 * this file is built with -fno-builtin.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t *s = (const uint8_t *)src;
  while (n-- > 0u) {
    *d++ = *s++;
  }
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t *s = (const uint8_t *)src;
  if (d < s) {
    while (n-- > 0u) {
      *d++ = *s++;
    }
  } else if (d > s) {
    d += n;
    s += n;
    while (n-- > 0u) {
      *--d = *--s;
    }
  }
  return dst;
}

void *memset(void *dst, int value, size_t n) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t v = (uint8_t)value;
  while (n-- > 0u) {
    *d++ = v;
  }
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = (const uint8_t *)a;
  const uint8_t *y = (const uint8_t *)b;
  for (; n > 0u; n--, x++, y++) {
    if (*x != *y) {
      return *x < *y ? -1 : 1;
    }
  }
  return 0;
}

size_t strlen(const char *s) {
  size_t n = 0u;
  while (s[n] != '\0') {
    n++;
  }
  return n;
}
