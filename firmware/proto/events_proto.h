/* events_proto.h: hooks of events_proto.c the platform's main calls (boot time stamp, power lost). */
#ifndef INAS_EVENTS_PROTO_H
#define INAS_EVENTS_PROTO_H

#include <stdint.h>

/** Call at every boot with the current timer value (event stamps are relative to it). */
void inas_proto_events_boot(uint32_t ticks_now);
/**
 * Call after every progress commit on a platform that loses power without warning (MSP430: hal_board.c and hal_sim.c
 * with INAS_PROTOCOL_EVENTS): banks the open layer segment's on-time, so a power failure loses only the time since the
 * last commit (whose work is re-executed and counted again) instead of the whole segment.
 */
void inas_proto_events_commit(uint32_t ticks_now);
/** Call when power is about to go (checkpoint shutdown, brown-out): closes the open layer segment and prints OFF. */
void inas_proto_events_power_lost(uint32_t ticks_now, const char *reason);

/** Call before running inference `inference` (again after every power failure): starts its accumulators once. */
void inas_proto_events_begin(uint32_t inference);
/** Call when `inference` is committed: prints its TOTAL (on-time ticks, power cycles, engine NVM writes) once. */
void inas_proto_events_total(uint32_t inference);

#endif /* INAS_EVENTS_PROTO_H */
