/*
 * inas serial line protocol: GENERATED from src/device/proto_spec.ts by templates/proto_gen.h.hbs
 * (`npx tsx scripts/gen_proto.ts`). Do not edit; test/device/proto_gen.test.ts checks it is up to date.
 * Line: $TAG,field,...*CCCC\r\n  (CCCC = CRC-16/CCITT-FALSE of the bytes between '$' and '*', upper-case hex).
 */
#ifndef INAS_PROTO_GEN_H
#define INAS_PROTO_GEN_H

#include <stdint.h>

#define INAS_PROTO_VERSION 1u
#define INAS_PROTO_BAUD 115200UL
#define INAS_PROTO_MAX_LINE 300u
#define INAS_PROTO_CHUNK_BYTES 64u

/* Status codes of the protocol (inas_status_t: category byte << 8 | code byte). */
#define INAS_ST_PROTO_LINE_CRC 0x5001u /* the line CRC did not match */
#define INAS_ST_PROTO_BAD_LINE 0x5002u /* unknown tag or malformed field */
#define INAS_ST_PROTO_OUT_OF_ORDER 0x5003u /* chunk offset beyond the next expected offset */
#define INAS_ST_PROTO_TOO_LARGE 0x5004u /* image larger than the NVM region, or chunk larger than the maximum */
#define INAS_ST_PROTO_NO_IMAGE 0x5005u /* chunk or end without a begun image */
#define INAS_ST_PROTO_IMAGE_CRC 0x5006u /* CRC-32 over the stored image does not match */
#define INAS_ST_PROTO_INCOMPLETE 0x5007u /* end of image before all bytes were received */
#define INAS_ST_PROTO_MODEL_INVALID 0x5008u /* inference refused: no valid model image */
#define INAS_ST_PROTO_BUSY 0x5009u /* command refused while inferences run */

/* Field types of the generic line reader. */
#define INAS_PF_U32 1u
#define INAS_PF_I32 2u
#define INAS_PF_X16 3u
#define INAS_PF_X32 4u
#define INAS_PF_STR 5u
#define INAS_PF_I16LIST 6u
#define INAS_PF_HEX 7u

/* Host commands (what the firmware reads). Numeric fields land in inas_cmd_t.u[] in order; a hex field in .hex. */
#define INAS_CMD_COUNT 7u
#define INAS_CMD_PING 1u /* Liveness check; the device answers PONG. */
#define INAS_CMD_PING_SEQ(cmd) ((cmd)->u[0]) /* sequence number */
#define INAS_CMD_LDQ 2u /* Query the loader state; the device answers LDST. */
#define INAS_CMD_LDB 3u /* Begin a new image (invalidates the stored one); ACK next=0. */
#define INAS_CMD_LDB_SEQ(cmd) ((cmd)->u[0]) /* sequence number */
#define INAS_CMD_LDB_SIZE(cmd) ((cmd)->u[1]) /* image size in bytes */
#define INAS_CMD_LDB_CRC(cmd) ((cmd)->u[2]) /* CRC-32 of the whole image */
#define INAS_CMD_LDC 4u /* One chunk of image data at an offset; accepted when offset <= next (re-sends are harmless). */
#define INAS_CMD_LDC_SEQ(cmd) ((cmd)->u[0]) /* sequence number */
#define INAS_CMD_LDC_OFFSET(cmd) ((cmd)->u[1]) /* byte offset in the image */
#define INAS_CMD_LDC_LEN(cmd) ((cmd)->u[2]) /* number of data bytes */
#define INAS_CMD_LDC_DATA(cmd) ((cmd)->hex) /* the bytes, upper-case hex */
#define INAS_CMD_LDE 5u /* End of image: the device checks the CRC-32 over the stored image and marks it valid (ACK) or corrupt (NAK). */
#define INAS_CMD_LDE_SEQ(cmd) ((cmd)->u[0]) /* sequence number */
#define INAS_CMD_RUN 6u /* Run inferences over the built-in samples (persistent across power cycles); ACK next=count. */
#define INAS_CMD_RUN_SEQ(cmd) ((cmd)->u[0]) /* sequence number */
#define INAS_CMD_RUN_COUNT(cmd) ((cmd)->u[1]) /* number of inferences */
#define INAS_CMD_STOP 7u /* Cancel queued inferences after the current one. */
#define INAS_CMD_STOP_SEQ(cmd) ((cmd)->u[0]) /* sequence number */

/* Per command: tag, number of fields, field types (used by inas_proto_rx_byte). */
#define INAS_CMD_MAX_FIELDS 4u
typedef struct {
  const char *tag;
  uint8_t nfields;
  uint8_t types[INAS_CMD_MAX_FIELDS];
} inas_cmd_spec_t;

#define INAS_CMD_SPECS { \
  { "PING", 1u, { INAS_PF_U32 } }, \
  { "LDQ", 0u, { 0u } }, \
  { "LDB", 3u, { INAS_PF_U32, INAS_PF_U32, INAS_PF_X32 } }, \
  { "LDC", 4u, { INAS_PF_U32, INAS_PF_U32, INAS_PF_U32, INAS_PF_HEX } }, \
  { "LDE", 1u, { INAS_PF_U32 } }, \
  { "RUN", 2u, { INAS_PF_U32, INAS_PF_U32 } }, \
  { "STOP", 1u, { INAS_PF_U32 } }, \
}

/* Device lines (what the firmware prints): one emitter per message, built on the writer of inas_proto.h. */
/* BOOT: Printed at every boot (each one after the first of a session is a power cycle). */
static inline void inas_evt_boot(uint32_t proto, uint32_t boot, uint32_t fw_crc, uint32_t model_crc, const char *model_state, uint32_t tick_hz, const char *version, const char *digest)
{
  inas_pw_begin("BOOT");
  inas_pw_u32(proto);
  inas_pw_u32(boot);
  inas_pw_x32(fw_crc);
  inas_pw_x32(model_crc);
  inas_pw_str(model_state);
  inas_pw_u32(tick_hz);
  inas_pw_str(version);
  inas_pw_str(digest);
  inas_pw_end();
}

/* OFF: The device powers itself down (energy-driven checkpoint) or detected a brown-out. */
static inline void inas_evt_off(uint32_t t, uint32_t layer, const char *reason)
{
  inas_pw_begin("OFF");
  inas_pw_u32(t);
  inas_pw_u32(layer);
  inas_pw_str(reason);
  inas_pw_end();
}

/* INF: An inference starts. */
static inline void inas_evt_inf(uint32_t inf, uint32_t sample)
{
  inas_pw_begin("INF");
  inas_pw_u32(inf);
  inas_pw_u32(sample);
  inas_pw_end();
}

/* RESUME: The engine booted and resumes from its committed progress. */
static inline void inas_evt_resume(uint32_t inf, uint32_t layer, uint32_t tiles)
{
  inas_pw_begin("RESUME");
  inas_pw_u32(inf);
  inas_pw_u32(layer);
  inas_pw_u32(tiles);
  inas_pw_end();
}

/* LS: A layer starts, or resumes after a power cycle. */
static inline void inas_evt_ls(uint32_t inf, uint32_t layer, uint32_t tiles, uint32_t t)
{
  inas_pw_begin("LS");
  inas_pw_u32(inf);
  inas_pw_u32(layer);
  inas_pw_u32(tiles);
  inas_pw_u32(t);
  inas_pw_end();
}

/* LAYER: A layer completed (accumulated over all the power cycles it spanned). */
static inline void inas_evt_layer(uint32_t inf, uint32_t layer, uint32_t t, uint32_t ticks, uint32_t cycles)
{
  inas_pw_begin("LAYER");
  inas_pw_u32(inf);
  inas_pw_u32(layer);
  inas_pw_u32(t);
  inas_pw_u32(ticks);
  inas_pw_u32(cycles);
  inas_pw_end();
}

/* RESULT: Output of an inference. */
static inline void inas_evt_result(uint32_t inf, uint32_t sample, uint32_t class_idx, const int16_t *logits, uint16_t logits_count)
{
  inas_pw_begin("RESULT");
  inas_pw_u32(inf);
  inas_pw_u32(sample);
  inas_pw_u32(class_idx);
  inas_pw_i16list(logits, logits_count);
  inas_pw_end();
}

/* TOTAL: Per-inference totals (after RESULT). */
static inline void inas_evt_total(uint32_t inf, uint32_t ticks, uint32_t cycles, uint32_t nvm_writes)
{
  inas_pw_begin("TOTAL");
  inas_pw_u32(inf);
  inas_pw_u32(ticks);
  inas_pw_u32(cycles);
  inas_pw_u32(nvm_writes);
  inas_pw_end();
}

/* IDLE: No inference requested: the device waits for commands. */
static inline void inas_evt_idle(uint32_t inf)
{
  inas_pw_begin("IDLE");
  inas_pw_u32(inf);
  inas_pw_end();
}

/* ERR: An error: inas_status_t (category byte << 8 | code byte) and a detail value. */
static inline void inas_evt_err(uint16_t status, uint32_t arg, const char *what)
{
  inas_pw_begin("ERR");
  inas_pw_x16(status);
  inas_pw_u32(arg);
  inas_pw_str(what);
  inas_pw_end();
}

/* LOG: Free text (INAS_LOG). */
static inline void inas_evt_log(const char *text)
{
  inas_pw_begin("LOG");
  inas_pw_str(text);
  inas_pw_end();
}

/* ACK: A command was accepted. */
static inline void inas_evt_ack(uint32_t seq, uint32_t next)
{
  inas_pw_begin("ACK");
  inas_pw_u32(seq);
  inas_pw_u32(next);
  inas_pw_end();
}

/* NAK: A command was refused (bad line CRC, out-of-order chunk, bad image CRC, ...). */
static inline void inas_evt_nak(uint32_t seq, uint16_t status, uint32_t next)
{
  inas_pw_begin("NAK");
  inas_pw_u32(seq);
  inas_pw_x16(status);
  inas_pw_u32(next);
  inas_pw_end();
}

/* LDST: Loader state (reply to LDQ). */
static inline void inas_evt_ldst(const char *state, uint32_t size, uint32_t crc, uint32_t next, uint32_t capacity, uint32_t chunk)
{
  inas_pw_begin("LDST");
  inas_pw_str(state);
  inas_pw_u32(size);
  inas_pw_x32(crc);
  inas_pw_u32(next);
  inas_pw_u32(capacity);
  inas_pw_u32(chunk);
  inas_pw_end();
}

/* PONG: Reply to PING: who the board is (as in BOOT) without rebooting it. */
static inline void inas_evt_pong(uint32_t seq, uint32_t boot, uint32_t fw_crc, uint32_t model_crc, const char *model_state, uint32_t tick_hz, const char *version, const char *digest)
{
  inas_pw_begin("PONG");
  inas_pw_u32(seq);
  inas_pw_u32(boot);
  inas_pw_x32(fw_crc);
  inas_pw_x32(model_crc);
  inas_pw_str(model_state);
  inas_pw_u32(tick_hz);
  inas_pw_str(version);
  inas_pw_str(digest);
  inas_pw_end();
}

#endif /* INAS_PROTO_GEN_H */
