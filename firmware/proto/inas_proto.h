/*
 * inas serial protocol, firmware side (plain C99; used by the host and the msp430 builds). See README.md.
 *
 * - Writer: inas_pw_* build one checksummed line ($TAG,f,...*CCCC\r\n) and send it through the port;
 *   the generated inas_evt_<name>() emitters (inas_proto_gen.h) call them.
 * - Reader: inas_proto_rx_byte() assembles host command lines byte by byte and checks their CRC.
 * - Loader and run queue: inas_proto_boot() / inas_proto_service() keep a two-slot record in NVM (image size,
 *   CRC-32, bytes committed, queued inferences, boot counter), write image chunks into NVM, and check the CRC-32
 *   over the stored image at every boot, so the firmware never runs a partial or corrupt image.
 */
#ifndef INAS_PROTO_H
#define INAS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Port: provided once per platform (firmware/proto/port_*.c or a test program), picked at link time. ---- */
/** Sends bytes on the UART (blocking until queued). */
void inas_proto_port_uart_write(const uint8_t *data, uint16_t len);
/** Reads one received byte if there is one: returns 1 and stores it, or 0 at once when none is waiting. */
uint8_t inas_proto_port_uart_read(uint8_t *byte);
/** NVM access (byte addresses of the platform's NVM). */
void inas_proto_port_nvm_write(uint32_t addr, const uint8_t *data, uint16_t len);
void inas_proto_port_nvm_read(uint32_t addr, uint8_t *data, uint16_t len);
/**
 * The loader verified a complete image (CRC-32 over NVM matches): the firmware may now accept it (e.g. check it is
 * the image of its model and write its own image header). Return 0 to accept; a non-zero inas_status_t refuses it
 * (LDE is NAKed with that status and the image is marked corrupt).
 */
uint16_t inas_proto_port_image_committed(uint32_t size, uint32_t crc32);
/** A new image transfer begins: the stored image is no longer valid (e.g. clear the firmware's image header). */
void inas_proto_port_image_invalidated(void);

/* ---- Checksums ---- */
/** CRC-16/CCITT-FALSE: start with 0xFFFF. */
uint16_t inas_crc16(uint16_t crc, const uint8_t *data, uint16_t len);
/** CRC-32/ISO-HDLC (zlib): start with 0xFFFFFFFF, finish with ~state. */
uint32_t inas_crc32_update(uint32_t state, const uint8_t *data, uint16_t len);

/* ---- Line writer ---- */
void inas_pw_begin(const char *tag);
void inas_pw_u32(uint32_t v);
void inas_pw_i32(int32_t v);
void inas_pw_x16(uint16_t v);
void inas_pw_x32(uint32_t v);
/** A text field: reserved characters ($ , * CR LF) and non-printable bytes are replaced by '_'. */
void inas_pw_str(const char *s);
void inas_pw_i16list(const int16_t *v, uint16_t count);
void inas_pw_hex(const uint8_t *v, uint16_t len);
/** Appends the CRC and CR LF and sends the line (an overlong line is replaced by an ERR line). */
void inas_pw_end(void);

#include "inas_proto_gen.h"

/* ---- Line reader ---- */
typedef struct {
  uint8_t id;                       /* INAS_CMD_* */
  uint32_t u[INAS_CMD_MAX_FIELDS];  /* numeric fields, in order */
  const uint8_t *hex;               /* decoded hex field (points into the reader's buffer) */
  uint16_t hex_len;
} inas_cmd_t;

#define INAS_RX_NONE 0u    /* no complete line yet */
#define INAS_RX_CMD 1u     /* *cmd holds a command */
#define INAS_RX_DROPPED 2u /* a line was dropped; *status says why (INAS_ST_PROTO_*) */

/** Feeds one received byte. Bytes outside a line are ignored; a '$' inside a line restarts it. */
uint8_t inas_proto_rx_byte(uint8_t byte, inas_cmd_t *cmd, uint16_t *status);

/* ---- Loader, run queue, boot ---- */
/** Bytes of NVM the protocol record occupies (two slots). */
#define INAS_PROTO_RECORD_BYTES 368u
/* The record's NVM: two 56-byte slots, then the image-check chunk table (INAS_PROTO_CHECK_SLOTS CRC-32 states). */
/** Smallest image-check chunk (bytes): one chunk is checked per boot on a verified image (README "Image check"). */
#ifndef INAS_PROTO_CHECK_CHUNK_BYTES
#define INAS_PROTO_CHECK_CHUNK_BYTES 64u
#endif
/** Chunk-table entries in the record: images above SLOTS × CHUNK bytes use chunks of ceil(size / SLOTS). */
#define INAS_PROTO_CHECK_SLOTS 64u

typedef enum {
  INAS_IMG_EMPTY = 0,
  INAS_IMG_PARTIAL = 1,
  INAS_IMG_CORRUPT = 2,
  INAS_IMG_OK = 3
} inas_img_state_t;

typedef struct {
  uint32_t record_addr;  /* INAS_PROTO_RECORD_BYTES of NVM for the record */
  uint32_t image_addr;   /* where the model image goes */
  uint32_t image_capacity_bytes;
  uint32_t fw_crc;       /* build identifier (INAS_FW_CRC) */
  uint32_t tick_hz;
  const char *version;   /* inas version */
  const char *digest;    /* settings digest */
} inas_proto_cfg_t;

/**
 * Call once per boot, before anything else prints: reads the record (initialising it on a blank NVM), counts the
 * boot, checks the CRC-32 over the stored image and prints the BOOT line. Returns the image state.
 */
inas_img_state_t inas_proto_boot(const inas_proto_cfg_t *cfg);
/** inas_proto_boot() in two parts: record + boot counter (cheap), then the image check and the BOOT line. */
void inas_proto_boot_begin(const inas_proto_cfg_t *cfg);
inas_img_state_t inas_proto_boot_check(void);
/** Bytes the image check reads per step for an image of `size` bytes. */
uint32_t inas_proto_check_chunk_bytes(uint32_t size);
/** Chunk the next check step covers (verification position while verifying, else the scrub position). */
uint32_t inas_proto_check_position(void);
/** Image state found at boot (or after a load). Inference must not start unless it is INAS_IMG_OK. */
inas_img_state_t inas_proto_image_state(void);
const char *inas_proto_image_state_name(inas_img_state_t s);
/** CRC-32 and size of the stored image (valid when the state is OK). */
uint32_t inas_proto_image_crc(void);
uint32_t inas_proto_image_size(void);
/** Processes every byte waiting on the UART (commands: PING, LDQ, LDB, LDC, LDE, RUN, STOP). */
void inas_proto_service(void);
/** Handles one decoded command (inas_proto_service calls it; exposed for tests). */
void inas_proto_handle(const inas_cmd_t *cmd);
/** Inferences queued by RUN and not yet done. */
uint32_t inas_proto_runs_pending(void);
/** Inferences completed since the NVM was initialised (use it as the inference number). */
uint32_t inas_proto_inferences_done(void);
/** Boot counter. */
uint32_t inas_proto_boots(void);
/** Marks one queued inference done (commits the record; clears the run mark). */
void inas_proto_run_done(void);
/** Bytes of the image committed so far (the resume offset of a partial image). */
uint32_t inas_proto_load_next(void);
/**
 * Run mark: the engine's inference counter + 1 at the start of the queued inference in progress, 0 = unknown
 * (after LDB and STOP). The board loop (board_loop.c) uses it to tell, after a power failure, whether the engine
 * already finished that inference (its counter moved past the mark) before the record could count it.
 */
uint32_t inas_proto_run_mark(void);
/** Records a new run mark (commits the record). */
void inas_proto_set_run_mark(uint32_t mark);
/** Marks one queued inference done and records `next_mark` as the run mark, in one commit. */
void inas_proto_run_done_mark(uint32_t next_mark);

#ifdef __cplusplus
}
#endif

#endif /* INAS_PROTO_H */
