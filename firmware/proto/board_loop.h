/*
 * board_loop.h: the protocol main loop, one implementation for every board build: the virtual board (board_host.c
 * on the host simulator), the MSP430FR5994 (hal/msp430/main_proto.c) and mspdebug's simulator
 * (hal/msp430_sim/main_proto_sim.c). A platform provides the proto port's UART functions (inas_proto.h) and the
 * three hooks below; board_loop.c provides the NVM and image parts of the port from hal.h and model.h.
 */
#ifndef INAS_BOARD_LOOP_H
#define INAS_BOARD_LOOP_H

#include <stdint.h>
#include "inas_proto.h"
#include "status.h"

/* ---- Hooks a platform provides ---- */
/** Nonzero: leave the loop (host: SIGTERM or stdin closed; simulator: its built-in host is done; board: never). */
uint8_t inas_board_port_stop(void);
/** Nothing queued: wait a little for input (host: poll 50 ms; board: return; simulator: act as the host). */
void inas_board_port_idle(void);
/** 1: the NVM traffic that follows is the firmware's own boot check (the host simulator does not charge it to the
 *  energy model); 0: back to normal. */
void inas_board_port_quiet(uint8_t quiet);

/** Nonzero (host: --charge-boot): the boot-time image check is charged to the simulated power like any other work,
 *  so power failures can cut it; 0 (default): it runs quiet. */
extern uint8_t inas_board_charge_boot;

/** The protocol configuration of the compiled-in model: record just above the model's NVM plan, image = weights. */
void inas_board_cfg(inas_proto_cfg_t *cfg, uint32_t tick_hz);

/**
 * One power cycle: prints BOOT (image CRC check), then serves commands and runs queued inferences until
 * inas_board_port_stop(). A power failure may end it anywhere; the next boot calls it again. Every queued inference
 * produces exactly one RESULT and one TOTAL (a power failure between the engine's last commit and the record's
 * count is recognised by the run mark, so nothing runs twice). Returns INAS_OK, or the error that stopped it.
 */
inas_status_t inas_board_run(const inas_proto_cfg_t *cfg);

#endif /* INAS_BOARD_LOOP_H */
