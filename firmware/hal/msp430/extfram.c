/*
 * External Cypress 8 Mbit SPI FRAM (1 MB, 20-bit addresses) on eUSCI_A3 in 3-pin SPI master mode, clock
 * SMCLK / 4 = 4 MHz, polarity high when idle, MSB first; chip select P6.3 as GPIO. Opcodes (reference §6.7):
 * WREN 0x06, WRSR 0x01, READ 0x03, WRITE 0x02, RDID 0x9F. Every write is preceded by its own WREN. The address is
 * sent as three bytes, most significant first. Bulk transfers use DMA: a read runs channel 3 (dummy bytes into
 * TXBUF on UCA3TXIFG) and channel 4 (RXBUF into the destination on UCA3RXIFG); a write runs channel 3 from the
 * source. Data written here survives power failures; torn writes are the runtime's commit protocol's concern.
 */
#include <stdint.h>

#include "board.h"
#include "msp430fr5994_regs.h"

#define CMD_WREN 0x06u
#define CMD_WRSR 0x01u
#define CMD_READ 0x03u
#define CMD_WRITE 0x02u
#define CMD_RDID 0x9Fu
#define RDID_BYTES 9u
#define CS_LOW() (P6OUT &= (uint8_t)~BIT3)
#define CS_HIGH() (P6OUT |= (uint8_t)BIT3)

static const uint8_t dummy_byte = 0xFFu;

static void spi_wait(void) {
  while ((UCA3STATW & UCBUSY) != 0u) {
  }
}

static uint8_t spi_xfer(uint8_t b) {
  UCA3TXBUF = b;
  spi_wait();
  return (uint8_t)UCA3RXBUF;
}

static void send_header(uint8_t cmd, uint32_t addr) {
  (void)spi_xfer(cmd);
  (void)spi_xfer((uint8_t)(addr >> 16));
  (void)spi_xfer((uint8_t)(addr >> 8));
  (void)spi_xfer((uint8_t)addr);
}

static void write_enable(void) {
  CS_LOW();
  (void)spi_xfer(CMD_WREN);
  CS_HIGH();
}

/* Starts edge-triggered DMA on UCA3TXIFG by producing a rising edge of the flag. */
static void kick_tx(void) {
  UCA3IFG &= (uint16_t)~UCTXIFG;
  UCA3IFG |= UCTXIFG;
}

static void dma_read(uint8_t *dst, uint16_t len) {
  (void)UCA3RXBUF; /* drop a stale byte so the first RXIFG belongs to this transfer */
  DMACTL1 = (uint16_t)((DMACTL1 & 0x00FFu) | DMA3TSEL__UCA3TXIFG);
  DMACTL2 = (uint16_t)((DMACTL2 & 0xFF00u) | DMA4TSEL__UCA3RXIFG);
  DMA3CTL = DMADT_0 | DMADSTINCR_0 | DMASRCINCR_0 | DMADSTBYTE | DMASRCBYTE;
  INAS_DMA_SA(3) = (uint16_t)(uintptr_t)&dummy_byte;
  INAS_DMA_DA(3) = UCA3TXBUF_ADDR;
  DMA3SZ = len;
  DMA4CTL = DMADT_0 | DMADSTINCR_3 | DMASRCINCR_0 | DMADSTBYTE | DMASRCBYTE;
  INAS_DMA_SA(4) = UCA3RXBUF_ADDR;
  INAS_DMA_DA(4) = (uint16_t)(uintptr_t)dst;
  DMA4SZ = len;
  DMA4CTL |= DMAEN;
  DMA3CTL |= DMAEN;
  kick_tx();
  while ((DMA4CTL & DMAEN) != 0u) {
  }
  while ((DMA3CTL & DMAEN) != 0u) {
  }
  spi_wait();
}

static void dma_write(const uint8_t *src, uint16_t len) {
  DMACTL1 = (uint16_t)((DMACTL1 & 0x00FFu) | DMA3TSEL__UCA3TXIFG);
  DMA3CTL = DMADT_0 | DMADSTINCR_0 | DMASRCINCR_3 | DMADSTBYTE | DMASRCBYTE;
  INAS_DMA_SA(3) = (uint16_t)(uintptr_t)src;
  INAS_DMA_DA(3) = UCA3TXBUF_ADDR;
  DMA3SZ = len;
  DMA3CTL |= DMAEN;
  kick_tx();
  while ((DMA3CTL & DMAEN) != 0u) {
  }
  spi_wait();
  (void)UCA3RXBUF; /* clear the overrun left by ignoring received bytes */
}

uint16_t inas_extfram_init(void) {
  uint8_t id[RDID_BYTES];
  uint16_t i;
  uint16_t continuation = 0u;
  uint16_t cypress = 0u;
  P6SEL0 |= (uint8_t)(BIT0 | BIT1 | BIT2);
  P6SEL1 &= (uint8_t)~(BIT0 | BIT1 | BIT2);
  P6DIR |= (uint8_t)BIT3;
  CS_HIGH();
  UCA3CTLW0 = UCSWRST;
  UCA3CTLW0 |= UCCKPL | UCMSB | UCSYNC | UCMST | UCSSEL__SMCLK;
  UCA3BRW = 4u;
  UCA3CTLW0 &= (uint16_t)~UCSWRST;
  /* Clear the block-protect bits (status register 0xC0 keeps WPEN semantics as the iNAS board does). */
  write_enable();
  CS_LOW();
  (void)spi_xfer(CMD_WRSR);
  (void)spi_xfer(0xC0u);
  CS_HIGH();
  CS_LOW();
  (void)spi_xfer(CMD_RDID);
  for (i = 0u; i < RDID_BYTES; i++) {
    id[i] = spi_xfer(0xFFu);
  }
  CS_HIGH();
  /* The ID holds six 0x7F continuation bytes and the Cypress/Ramtron manufacturer byte 0xC2. */
  for (i = 0u; i < RDID_BYTES; i++) {
    continuation = (uint16_t)(continuation + (id[i] == 0x7Fu ? 1u : 0u));
    cypress = (uint16_t)(cypress | (id[i] == 0xC2u ? 1u : 0u));
  }
  return (continuation >= 6u && cypress != 0u) ? 0u : 1u;
}

void inas_extfram_read(uint32_t addr, void *dst, uint16_t len) {
  if (len == 0u) {
    return;
  }
  CS_LOW();
  send_header(CMD_READ, addr);
  dma_read((uint8_t *)dst, len);
  CS_HIGH();
}

void inas_extfram_write(uint32_t addr, const void *src, uint16_t len) {
  if (len == 0u) {
    return;
  }
  write_enable();
  CS_LOW();
  send_header(CMD_WRITE, addr);
  dma_write((const uint8_t *)src, len);
  CS_HIGH();
}
