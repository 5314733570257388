/* crc32.h: CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320), bitwise (no table: tiny code, used on short records). */
#ifndef INAS_CRC32_H
#define INAS_CRC32_H

#include <stdint.h>

/** Continues a CRC: start with crc = 0, feed chunks, the result is the standard CRC-32 of the concatenation. */
uint32_t inas_crc32(uint32_t crc, const uint8_t *data, uint32_t len);

#endif /* INAS_CRC32_H */
