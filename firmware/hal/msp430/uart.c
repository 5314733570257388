/*
 * eUSCI_A0 UART at 115200 baud, 8N1, from SMCLK = 16 MHz with 16x oversampling: N = 16e6 / 115200 = 138.89,
 * UCBRx = 8, UCBRFx = 10, UCBRSx = 0xF7 (family user's guide baud-rate table). TX on P2.0, RX on P2.1
 * (secondary module function: SEL1 = 1, SEL0 = 0).
 */
#include <stdint.h>

#include "board.h"
#include "msp430fr5994_regs.h"

void inas_board_uart_init(void) {
  P2SEL1 |= (uint8_t)(BIT0 | BIT1);
  P2SEL0 &= (uint8_t)~(BIT0 | BIT1);
  UCA0CTLW0 = UCSWRST;
  UCA0CTLW0 |= UCSSEL__SMCLK;
  UCA0BRW = 8u;
  UCA0MCTLW = (uint16_t)((0xF7u << 8) | (10u << 4) | UCOS16);
  UCA0CTLW0 &= (uint16_t)~UCSWRST;
}

void inas_board_uart_putc(uint8_t c) {
  while ((UCA0IFG & UCTXIFG) == 0u) {
  }
  UCA0TXBUF = c;
}
