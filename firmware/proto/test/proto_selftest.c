/*
 * proto_selftest: round-trip check of the C side of the protocol against the TS side (test/device/proto_gen.test.ts).
 * 1. Prints one line of every device message with the values given on the command line pattern below.
 * 2. Then reads host lines on stdin; for each decoded command prints
 *    $LOG,cmd=<id> u=<u0>/<u1>/<u2>/<u3> hex=<len>:<crc32 of the bytes>  and for each dropped line $LOG,drop=<status>.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../inas_proto.h"

void inas_proto_port_uart_write(const uint8_t *data, uint16_t len)
{
  fwrite(data, 1, len, stdout);
  fflush(stdout);
}
uint8_t inas_proto_port_uart_read(uint8_t *byte)
{
  int c = getchar();
  if (c == EOF) return 0;
  *byte = (uint8_t)c;
  return 1;
}
void inas_proto_port_nvm_write(uint32_t addr, const uint8_t *data, uint16_t len)
{
  (void)addr;
  (void)data;
  (void)len;
}
uint16_t inas_proto_port_image_committed(uint32_t size, uint32_t crc32)
{
  (void)size;
  (void)crc32;
  return 0;
}

void inas_proto_port_image_invalidated(void) {}

void inas_proto_port_nvm_read(uint32_t addr, uint8_t *data, uint16_t len)
{
  (void)addr;
  while (len-- > 0u) *data++ = 0;
}

int main(void)
{
  static const int16_t logits[5] = {-32768, -1, 0, 1, 32767};
  uint8_t byte;
  inas_cmd_t cmd;
  uint16_t status = 0;
  char text[160];

  inas_evt_boot(INAS_PROTO_VERSION, 4294967295UL, 0xDEADBEEFUL, 0x00000001UL, "ok", 1000000UL, "0.1.0", "abc123");
  inas_evt_off(7, 2, "checkpoint");
  inas_evt_inf(3, 1);
  inas_evt_layer(3, 2, 100, 200, 3);
  inas_evt_result(3, 1, 4, logits, 5);
  inas_evt_total(3, 1234567UL, 9, 42);
  inas_evt_idle(4);
  inas_evt_err(0x0102u, 77, "bad, $weird* text");
  inas_evt_log("hello world");
  inas_evt_ack(1, 64);
  inas_evt_nak(2, INAS_ST_PROTO_LINE_CRC, 64);
  inas_evt_ldst("partial", 100, 0xCAFEF00DUL, 64, 1000, INAS_PROTO_CHUNK_BYTES);
  inas_evt_pong(9, 2, 0x12345678UL, 0, "empty", 1000UL, "0.1.0", "abc123");

  while (inas_proto_port_uart_read(&byte) != 0u) {
    uint8_t r = inas_proto_rx_byte(byte, &cmd, &status);
    if (r == INAS_RX_CMD) {
      uint32_t crc = ~inas_crc32_update(0xFFFFFFFFUL, cmd.hex == NULL ? (const uint8_t *)"" : cmd.hex, cmd.hex_len);
      snprintf(text, sizeof text, "cmd=%u u=%lu/%lu/%lu/%lu hex=%u:%08lX", (unsigned)cmd.id, (unsigned long)cmd.u[0],
               (unsigned long)cmd.u[1], (unsigned long)cmd.u[2], (unsigned long)cmd.u[3], (unsigned)cmd.hex_len,
               (unsigned long)crc);
      inas_evt_log(text);
    } else if (r == INAS_RX_DROPPED) {
      snprintf(text, sizeof text, "drop=%04X", (unsigned)status);
      inas_evt_log(text);
    }
  }
  return 0;
}
