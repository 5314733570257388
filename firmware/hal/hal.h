/*
 * hal.h: everything a platform provides to the portable runtime. Exactly one implementation is linked:
 * hal/host (simulator with power-failure injection), hal/msp430 (MSP430FR5994 board), hal/msp430_sim (mspdebug
 * simulator). A port implements every function below; nothing else in firmware/ touches hardware.
 *
 * Conventions: NVM addresses are byte addresses (inas_nvm_addr_t, 32-bit); data in NVM is little-endian.
 * All NVM traffic of the runtime goes through runtime/nvm.h, which calls inas_hal_nvm_read/write; a port never
 * needs to know what the bytes mean. A power failure may happen at any instruction: a port does not have to
 * report it (the runtime's commit protocol makes it safe), and a host simulator models it as a restart.
 */
#ifndef INAS_HAL_H
#define INAS_HAL_H

#include <stdint.h>
#include "../runtime/layer.h"
#include "../runtime/status.h"

/**
 * INAS_NVM_CONST places generated constant data (layer table, weights image, golden vectors) in the platform's
 * non-volatile section. A port defines it on the compiler command line (e.g. a section attribute); empty by default.
 */
#ifndef INAS_NVM_CONST
#define INAS_NVM_CONST
#endif

/**
 * INAS_PERSISTENT places a variable where it keeps its value across power failures and resets (MSP430 builds define
 * it on the compiler command line as a `.persistent` FRAM section that crt0 never initialises; the host simulator
 * keeps static memory across its simulated outages, so it stays empty there).
 */
#ifndef INAS_PERSISTENT
#define INAS_PERSISTENT
#endif

/* ---- NVM ---------------------------------------------------------------------------------------------------- */
/** Reads len bytes at addr into dst. Returns INAS_OK or INAS_E_NVM_RANGE / INAS_E_NVM_IO. */
inas_status_t inas_hal_nvm_read(inas_nvm_addr_t addr, void *dst, uint32_t len);
/** Writes len bytes from src at addr (may be cut by a power failure after any byte: a torn write). */
inas_status_t inas_hal_nvm_write(inas_nvm_addr_t addr, const void *src, uint32_t len);
/** NVM capacity in bytes. */
uint32_t inas_hal_nvm_size(void);

/* ---- UART --------------------------------------------------------------------------------------------------- */
/** Sends len bytes (blocking). Used by runtime/events_*.c only. */
void inas_hal_uart_write(const uint8_t *buf, uint16_t len);

/* ---- Time and supply ---------------------------------------------------------------------------------------- */
/** Free-running cycle counter (CPU cycles at the platform clock; wraps at 2^32). */
uint32_t inas_hal_ticks(void);
/** Supply (capacitor) voltage in millivolts, or 0 when the platform cannot measure it. */
uint16_t inas_hal_voltage_mv(void);

/* ---- Cost accounting (the host simulator drains its capacitor and advances time; a board does nothing) ------- */
#define INAS_OP_VMAC 0u     /* count vector MACs of length arg (LEA msp_mac_q15 or MPY32 loop) */
#define INAS_OP_MAC_OVHD 1u /* count per-MAC-call bookkeeping: ADD + OP_PSUM + OP_ACUM of the cost model */
#define INAS_OP_POOL 2u     /* count pooling element operations: MAX + OP_MAX_OVHD */
#define INAS_OP_DIV 3u      /* count integer divisions (GAP/avg-pool finish) */
#define INAS_OP_FD_I 4u     /* count IFM-tile transfer set-ups (address computation) */
#define INAS_OP_FD_W 5u     /* count weight-tile transfer set-ups */
#define INAS_OP_FD_O 6u     /* count partial-sum fetch set-ups; arg = INAS_ORDER_* */
#define INAS_OP_BD_O 7u     /* count output backup set-ups; arg = INAS_ORDER_* */
/** Accounts `count` operations of kind `op` (INAS_OP_*); `arg` as documented per op. */
void inas_hal_account(uint8_t op, uint32_t count, uint16_t arg);

/* ---- Progress hooks (called by the engine) ------------------------------------------------------------------- */
/** `tiles` tiles were just computed (re-executions included). */
void inas_hal_on_tiles(uint32_t tiles);
/** A progress record was just committed (a board may power down here to wait for a full capacitor). */
void inas_hal_on_commit(void);
/** An inference finished with this class and these Q15 logits (emitted at least once per inference). */
void inas_hal_on_result(uint32_t inference, uint16_t cls, const int16_t *logits, uint16_t n);

#endif /* INAS_HAL_H */
