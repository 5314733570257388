/* events_proto.h: hooks of events_proto.c the platform's main calls (boot time stamp, power lost). */
#ifndef INAS_EVENTS_PROTO_H
#define INAS_EVENTS_PROTO_H

#include <stdint.h>

/** Call at every boot with the current timer value (event stamps are relative to it). */
void inas_proto_events_boot(uint32_t ticks_now);
/** Call when power is about to go (checkpoint shutdown, brown-out): closes the open layer segment and prints OFF. */
void inas_proto_events_power_lost(uint32_t ticks_now, const char *reason);

#endif /* INAS_EVENTS_PROTO_H */
