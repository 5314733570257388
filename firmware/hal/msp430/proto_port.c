/*
 * The serial protocol's port on the MSP430FR5994 LaunchPad (firmware/proto/inas_proto.h, board_loop.h): lines go
 * out on eUSCI_A0 (polled transmit), commands come in through the receive ring that uart.c's interrupt fills. The
 * NVM and image parts of the port are the shared ones (proto/board_loop.c over hal.h).
 */
#include <stdint.h>

#include "board.h"
#include "board_loop.h"
#include "inas_proto.h"

void inas_proto_port_uart_write(const uint8_t *data, uint16_t len) {
  uint16_t i;
  for (i = 0u; i < len; i++) {
    inas_board_uart_putc(data[i]);
  }
}

uint8_t inas_proto_port_uart_read(uint8_t *byte) { return inas_board_uart_getc(byte); }

/* A board serves until power goes. */
uint8_t inas_board_port_stop(void) { return 0u; }

/* Nothing queued: the loop polls the receive ring again (the LaunchPad is powered over USB while it is attached). */
void inas_board_port_idle(void) {}

/* The boot-time image check is real work on a board: nothing to account. */
void inas_board_port_quiet(uint8_t quiet) { (void)quiet; }
