/*
 * eUSCI_A0 UART at 115200 baud, 8N1, from SMCLK = 16 MHz with 16x oversampling: N = 16e6 / 115200 = 138.89,
 * UCBRx = 8, UCBRFx = 10, UCBRSx = 0xF7 (family user's guide baud-rate table). TX on P2.0, RX on P2.1
 * (secondary module function: SEL1 = 1, SEL0 = 0). Transmit polls UCTXIFG; receive is interrupt driven (vector
 * 0xFFF0) into a 256-byte ring in SRAM, so bytes arriving while the firmware computes are kept until the protocol
 * loop reads them (a byte arriving on a full ring is dropped and counted; the line CRC catches the damage).
 */
#include <stdint.h>

#include "board.h"
#include "intrinsics.h"
#include "msp430fr5994_regs.h"

#define RX_RING_BYTES 256u

static volatile uint8_t rx_ring[RX_RING_BYTES];
static volatile uint8_t rx_head; /* next byte the ISR writes */
static volatile uint8_t rx_tail; /* next byte the reader takes */
static volatile uint16_t rx_dropped;

void inas_board_uart_init(void) {
  P2SEL1 |= (uint8_t)(BIT0 | BIT1);
  P2SEL0 &= (uint8_t)~(BIT0 | BIT1);
  UCA0CTLW0 = UCSWRST;
  UCA0CTLW0 |= UCSSEL__SMCLK;
  UCA0BRW = 8u;
  UCA0MCTLW = (uint16_t)((0xF7u << 8) | (10u << 4) | UCOS16);
  UCA0CTLW0 &= (uint16_t)~UCSWRST;
  rx_head = 0u;
  rx_tail = 0u;
  rx_dropped = 0u;
  UCA0IE |= UCRXIE; /* after UCSWRST is released: setting UCSWRST clears UCAxIE */
}

void inas_board_uart_putc(uint8_t c) {
  while ((UCA0IFG & UCTXIFG) == 0u) {
  }
  UCA0TXBUF = c;
}

uint8_t inas_board_uart_getc(uint8_t *c) {
  if (rx_tail == rx_head) {
    return 0u;
  }
  *c = rx_ring[rx_tail];
  rx_tail = (uint8_t)(rx_tail + 1u); /* 256 entries: the index wraps with the byte */
  return 1u;
}

uint16_t inas_board_uart_dropped(void) { return rx_dropped; }

void inas_isr_usci_a0(void);
__attribute__((interrupt(INAS_VEC_USCI_A0), used)) void inas_isr_usci_a0(void) {
  if (UCA0IV == USCI_UART_UCRXIFG) { /* reading UCA0IV clears the flag it reports */
    const uint8_t b = (uint8_t)UCA0RXBUF;
    const uint8_t next = (uint8_t)(rx_head + 1u);
    if (next == rx_tail) {
      rx_dropped++;
    } else {
      rx_ring[rx_head] = b;
      rx_head = next;
    }
  }
}
