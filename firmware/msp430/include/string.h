/*
 * Minimal <string.h> for the freestanding clang --target=msp430 build (clang ships no C library for this target).
 * Implemented in firmware/msp430/libc.c. msp430-elf-gcc builds use newlib's header instead.
 */
#ifndef INAS_MSP430_STRING_H
#define INAS_MSP430_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int value, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif /* INAS_MSP430_STRING_H */
