/*
 * Drivers of the MSP430FR5994 LaunchPad HAL (register level, 16 MHz). Pins follow the iNAS board: UART eUSCI_A0
 * TX P2.0 / RX P2.1 (back-channel UART), external SPI FRAM on eUSCI_A3 (P6.0 SIMO, P6.1 SOMI, P6.2 CLK, P6.3 CS),
 * energy-harvester shutdown on P3.7, voltage monitor on Comparator_E channel 5.
 */
#ifndef INAS_HAL_MSP430_BOARD_H
#define INAS_HAL_MSP430_BOARD_H

#include <stdint.h>

/* uart.c: 115200 baud 8N1 from SMCLK = 16 MHz; receive by interrupt into a 256-byte ring. */
void inas_board_uart_init(void);
void inas_board_uart_putc(uint8_t c);
/* Takes one received byte: returns 1 and stores it, or 0 when the ring is empty. */
uint8_t inas_board_uart_getc(uint8_t *c);
/* Bytes dropped because the ring was full. */
uint16_t inas_board_uart_dropped(void);

/* timer.c: Timer0_A on SMCLK, continuous mode, overflow interrupt extends it to 32 bits. */
void inas_board_timer_init(void);
uint32_t inas_board_cycles(void);

/* extfram.c: Cypress 8 Mbit SPI FRAM (20-bit addresses) on eUSCI_A3 at SMCLK/4, DMA channels 3 (TX) and 4 (RX). */
#define INAS_EXTFRAM_SIZE_BYTES 0x100000ul
/* Returns 0 when the device answered RDID with the Cypress (Ramtron) manufacturer ID, else 1. */
uint16_t inas_extfram_init(void);
void inas_extfram_read(uint32_t addr, void *dst, uint16_t len);
void inas_extfram_write(uint32_t addr, const void *src, uint16_t len);

/* vmon.c: Comparator_E against the 2.0 V reference through the 32-tap ladder. */
void inas_vmon_init(uint16_t threshold_tap, void (*on_low)(void));
void inas_vmon_enable(void);
void inas_vmon_disable(void);
/* Estimates the monitored pin voltage (mV) by searching the ladder tap where the comparator output flips. */
uint16_t inas_vmon_measure_mv(void);

/* mac.c: Q15 dot product, sum of a[i] * b[i] modulo 2^32 (the Q15.md accumulation rule). */
uint32_t inas_board_mac_q15_mpy32(const int16_t *a, const int16_t *b, uint16_t n);
#ifdef INAS_HAVE_DSPLIB
/* mac_lea.c: the same through DSPLib's msp_mac_q15 on the LEA, used only after its boot self-test agrees. */
uint16_t inas_board_lea_init(void);
uint32_t inas_board_mac_q15_lea(const int16_t *a, const int16_t *b, uint16_t n);
#endif

/* hal_board.c: picks the dot-product path of inas_port_dot_q15 (LEA only after its self-test). Call once per boot. */
void inas_board_dot_init(void);

/* platform.c: tell the energy-harvesting module to cut power (P3.7 high) and wait. */
void inas_board_shutdown(void) __attribute__((noreturn));

#endif /* INAS_HAL_MSP430_BOARD_H */
