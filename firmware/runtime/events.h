/*
 * events.h: what the engine reports. The default implementation (events_text.c) prints one plain-text line per
 * event through inas_hal_uart_write; a port or a transport (firmware/proto) links another implementation of the
 * same functions instead (e.g. checksummed frames). Line formats of the default: firmware/README.md "Events".
 */
#ifndef INAS_EVENTS_H
#define INAS_EVENTS_H

#include <stdint.h>
#include "status.h"

/** The engine booted (after every power failure) and resumes at (inference, layer, tiles_done). */
void inas_event_boot(const char *version, const char *settings_digest, uint32_t inference, uint16_t layer,
                     uint32_t tiles_done);
/** A layer starts or resumes at tile `tiles_done`; `ticks` = inas_hal_ticks(). */
void inas_event_layer_start(uint16_t layer, uint32_t tiles_done, uint32_t ticks);
/** A layer completed (its last batch is committed). */
void inas_event_layer_end(uint16_t layer, uint32_t ticks);
/** An inference result: predicted class and the Q15 logits of FC_END. */
void inas_event_result(uint32_t inference, uint16_t cls, const int16_t *logits, uint16_t n, uint32_t ticks);
/** An error; the engine stops. `layer` = 0xFFFF when not layer-specific. */
void inas_event_error(inas_status_t status, uint16_t layer);

#endif /* INAS_EVENTS_H */
