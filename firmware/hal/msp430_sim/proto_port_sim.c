/*
 * The serial protocol's port in mspdebug's simulator. Output lines go to the console device (0x00FF), which mspdebug
 * prints. The simulator has no UART input, so this port plays the host itself, through the same command handler a
 * received line reaches (inas_proto_handle): while the stored image is not valid it loads the compiled-in weights
 * image in 64-byte chunks (LDB, LDC…, LDE; after a reset in the middle it resumes at the record's offset, as the
 * host does after LDQ), then queues INAS_SIM_INFERENCES inferences (RUN) once, and stops when the queue is empty and
 * that many inferences are done. Everything it relies on across resets is the protocol record in NVM.
 */
#include <stdint.h>

#include "board_loop.h"
#include "inas_proto.h"
#include "model.h"
#include "platform.h"

#ifndef INAS_SIM_INFERENCES
#define INAS_SIM_INFERENCES 1u
#endif
#define MAX_LOAD_ATTEMPTS 3u


static uint8_t host_done;     /* SRAM: re-derived at every boot from the record */
static uint8_t load_attempts;
static uint32_t seq;

void inas_proto_port_uart_write(const uint8_t *data, uint16_t len) {
  uint16_t i;
  for (i = 0u; i < len; i++) {
    inas_platform_putc((char)data[i]);
  }
}

uint8_t inas_proto_port_uart_read(uint8_t *byte) {
  (void)byte;
  return 0u;
}

static void handle(uint8_t id, uint32_t a, uint32_t b, uint32_t c, const uint8_t *hex, uint16_t hex_len) {
  inas_cmd_t cmd;
  cmd.id = id;
  cmd.u[0] = ++seq;
  cmd.u[1] = a;
  cmd.u[2] = b;
  cmd.u[3] = c;
  cmd.hex = hex;
  cmd.hex_len = hex_len;
  inas_proto_handle(&cmd);
}

static void load_image(void) {
  const uint32_t size = INAS_WEIGHTS_SIZE_BYTES;
  uint32_t off;
  const int resume = inas_proto_image_state() == INAS_IMG_PARTIAL && inas_proto_image_size() == size &&
                     inas_proto_image_crc() == (uint32_t)INAS_WEIGHTS_CRC32;
  if (!resume) {
    handle(INAS_CMD_LDB, size, (uint32_t)INAS_WEIGHTS_CRC32, 0u, (const uint8_t *)0, 0u);
  }
  for (off = inas_proto_load_next(); off < size;) {
    const uint16_t n = (uint16_t)(size - off < INAS_PROTO_CHUNK_BYTES ? size - off : INAS_PROTO_CHUNK_BYTES);
    handle(INAS_CMD_LDC, off, n, 0u, &inas_weights_image[off], n);
    off = inas_proto_load_next();
  }
  handle(INAS_CMD_LDE, 0u, 0u, 0u, (const uint8_t *)0, 0u);
}

uint8_t inas_board_port_stop(void) { return host_done; }

void inas_board_port_idle(void) {
  if (inas_proto_image_state() != INAS_IMG_OK) {
    if (load_attempts++ < MAX_LOAD_ATTEMPTS) {
      load_image();
    } else {
      host_done = 1u;
    }
  } else if (inas_proto_inferences_done() == 0u) {
    handle(INAS_CMD_RUN, (uint32_t)INAS_SIM_INFERENCES, 0u, 0u, (const uint8_t *)0, 0u);
  } else {
    host_done = 1u;
  }
}

void inas_board_port_quiet(uint8_t quiet) { (void)quiet; }
