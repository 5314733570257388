/* crc32.c: see crc32.h. */
#include "crc32.h"

uint32_t inas_crc32(uint32_t crc, const uint8_t *data, uint32_t len)
{
    uint32_t i;
    uint8_t b;
    crc = ~crc;
    for (i = 0; i < len; i++) {
        crc ^= data[i];
        for (b = 0; b < 8u; b++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}
