/*
 * events_text.c: the default plain-text event lines (firmware/README.md "Events"), no stdio.
 *   INAS BOOT v=<version> digest=<digest> inf=<n> layer=<l> tile=<t>
 *   INAS LS <layer> tile=<t> ticks=<ticks>
 *   INAS LE <layer> ticks=<ticks>
 *   INAS RES inf=<n> class=<c> logits=<q0>,<q1>,... ticks=<ticks>
 *   INAS ERR status=0x<hhhh> layer=<l>
 */
#include <stddef.h>
#include <string.h>
#include "events.h"
#include "../hal/hal.h"

static void put_str(const char *s)
{
    inas_hal_uart_write((const uint8_t *)s, (uint16_t)strlen(s));
}

static void put_u32(uint32_t v)
{
    char buf[11];
    uint8_t i = (uint8_t)sizeof buf;
    do {
        buf[--i] = (char)('0' + (v % 10u));
        v /= 10u;
    } while (v != 0u);
    inas_hal_uart_write((const uint8_t *)&buf[i], (uint16_t)(sizeof buf - i));
}

static void put_i16(int16_t v)
{
    if (v < 0) {
        put_str("-");
        put_u32((uint32_t)(-(int32_t)v));
    } else {
        put_u32((uint32_t)v);
    }
}

static void put_hex16(uint16_t v)
{
    static const char digits[] = "0123456789abcdef";
    char buf[4];
    uint8_t i;
    for (i = 0; i < 4u; i++) buf[i] = digits[(v >> (12u - 4u * i)) & 0xFu];
    inas_hal_uart_write((const uint8_t *)buf, 4u);
}

void inas_event_boot(const char *version, const char *settings_digest, uint32_t inference, uint16_t layer,
                     uint32_t tiles_done)
{
    put_str("INAS BOOT v=");
    put_str(version);
    put_str(" digest=");
    put_str(settings_digest);
    put_str(" inf=");
    put_u32(inference);
    put_str(" layer=");
    put_u32(layer);
    put_str(" tile=");
    put_u32(tiles_done);
    put_str("\r\n");
}

void inas_event_layer_start(uint16_t layer, uint32_t tiles_done, uint32_t ticks)
{
    put_str("INAS LS ");
    put_u32(layer);
    put_str(" tile=");
    put_u32(tiles_done);
    put_str(" ticks=");
    put_u32(ticks);
    put_str("\r\n");
}

void inas_event_layer_end(uint16_t layer, uint32_t ticks)
{
    put_str("INAS LE ");
    put_u32(layer);
    put_str(" ticks=");
    put_u32(ticks);
    put_str("\r\n");
}

void inas_event_result(uint32_t inference, uint16_t cls, const int16_t *logits, uint16_t n, uint32_t ticks)
{
    uint16_t i;
    put_str("INAS RES inf=");
    put_u32(inference);
    put_str(" class=");
    put_u32(cls);
    put_str(" logits=");
    for (i = 0; i < n; i++) {
        if (i) put_str(",");
        put_i16(logits[i]);
    }
    put_str(" ticks=");
    put_u32(ticks);
    put_str("\r\n");
}

void inas_event_error(inas_status_t status, uint16_t layer)
{
    put_str("INAS ERR status=0x");
    put_hex16(status);
    put_str(" layer=");
    put_u32(layer);
    put_str("\r\n");
}
