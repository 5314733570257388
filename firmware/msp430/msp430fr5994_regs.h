/*
 * MSP430FR5994 register definitions for the inas firmware (written for inas from the facts in TI's
 * MSP430FR599x datasheet (SLASE54, peripheral base addresses, interrupt vector table, DMA trigger table) and the
 * MSP430FR58xx/59xx/6xx family user's guide (SLAU367, register offsets and bit fields)).
 *
 * Only what the inas HALs use is defined: SFR, PMM, FRAM controller, WDT_A, CS, ports 1-6, Timer_A0/A1,
 * MPY32, DMA, eUSCI_A0 (UART) and eUSCI_A3 (SPI), Comparator_E and the LEA register block.
 * Every register is a volatile lvalue at a fixed 16-bit address; the part's peripherals all live below 0x1000, so
 * 16-bit (non-MSP430X) code reaches all of them.
 */
#ifndef INAS_MSP430FR5994_REGS_H
#define INAS_MSP430FR5994_REGS_H

#include <stdint.h>

#define INAS_REG8(addr) (*(volatile uint8_t *)(uintptr_t)(addr))
#define INAS_REG16(addr) (*(volatile uint16_t *)(uintptr_t)(addr))
#define INAS_REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

#define BIT0 0x0001u
#define BIT1 0x0002u
#define BIT2 0x0004u
#define BIT3 0x0008u
#define BIT4 0x0010u
#define BIT5 0x0020u
#define BIT6 0x0040u
#define BIT7 0x0080u

/* ---- memory map ------------------------------------------------------------------------------------------- */
#define INAS_FR5994_SRAM_START 0x1C00u
#define INAS_FR5994_SRAM_SIZE_BYTES 0x1000u        /* 4 KB general SRAM */
#define INAS_FR5994_LEARAM_START 0x2C00u
#define INAS_FR5994_LEARAM_SIZE_BYTES 0x1000u      /* 4 KB shared with LEA (DSPLib keeps 0x138 B of it as stack) */
#define INAS_FR5994_FRAM_START 0x4000u
#define INAS_FR5994_FRAM_END 0xFF7Fu               /* lower FRAM; 0xFF80-0xFF8F signatures, 0xFF90-0xFFFF vectors */
#define INAS_FR5994_UPPER_FRAM_START 0x10000ul     /* unreachable from 16-bit code */

/* ---- special function registers (0x0100) ----------------------------------------------------------------- */
#define SFRIE1 INAS_REG16(0x0100)
#define SFRIFG1 INAS_REG16(0x0102)
#define SFRRPCR INAS_REG16(0x0104)

/* ---- power management (0x0120) ---------------------------------------------------------------------------- */
#define PMMCTL0 INAS_REG16(0x0120)
#define PMMCTL0_H INAS_REG8(0x0121)
#define PMMIFG INAS_REG16(0x012A)
#define PM5CTL0 INAS_REG16(0x0130)
#define PMMPW 0xA500u
#define PMMSWBOR 0x0004u
#define PMMSWPOR 0x0008u
#define LOCKLPM5 0x0001u

/* ---- FRAM controller (0x0140) ----------------------------------------------------------------------------- */
#define FRCTL0 INAS_REG16(0x0140)
#define GCCTL0 INAS_REG16(0x0144)
#define GCCTL1 INAS_REG16(0x0146)
#define FRCTLPW 0xA500u
#define NWAITS_0 0x0000u
#define NWAITS_1 0x0010u                           /* one wait state: required for MCLK > 8 MHz */

/* ---- watchdog WDT_A (0x015C) ------------------------------------------------------------------------------ */
#define WDTCTL INAS_REG16(0x015C)
#define WDTPW 0x5A00u
#define WDTHOLD 0x0080u

/* ---- clock system CS (0x0160) ----------------------------------------------------------------------------- */
#define CSCTL0 INAS_REG16(0x0160)
#define CSCTL0_H INAS_REG8(0x0161)
#define CSCTL1 INAS_REG16(0x0162)
#define CSCTL2 INAS_REG16(0x0164)
#define CSCTL3 INAS_REG16(0x0166)
#define CSCTL4 INAS_REG16(0x0168)
#define CSCTL5 INAS_REG16(0x016A)
#define CSCTL6 INAS_REG16(0x016C)
#define CSKEY_H 0xA5u                              /* written to CSCTL0_H to unlock CS */
#define DCORSEL 0x0040u
#define DCOFSEL_4 0x0008u                          /* with DCORSEL: 16 MHz */
#define SELA__VLOCLK 0x0100u
#define SELS__DCOCLK 0x0030u
#define SELM__DCOCLK 0x0003u
#define DIVA__1 0x0000u
#define DIVS__1 0x0000u
#define DIVM__1 0x0000u
#define DIVA__4 0x0200u
#define DIVS__4 0x0020u
#define DIVM__4 0x0002u

/* ---- digital I/O ports (PA = P1/P2 at 0x0200, PB = P3/P4 at 0x0220, PC = P5/P6 at 0x0240) -------------------- */
#define INAS_PORT_ODD(base, off) INAS_REG8((base) + (off))
#define INAS_PORT_EVEN(base, off) INAS_REG8((base) + (off) + 1u)
#define P1IN INAS_PORT_ODD(0x0200, 0x00)
#define P1OUT INAS_PORT_ODD(0x0200, 0x02)
#define P1DIR INAS_PORT_ODD(0x0200, 0x04)
#define P1SEL0 INAS_PORT_ODD(0x0200, 0x0A)
#define P1SEL1 INAS_PORT_ODD(0x0200, 0x0C)
#define P2OUT INAS_PORT_EVEN(0x0200, 0x02)
#define P2DIR INAS_PORT_EVEN(0x0200, 0x04)
#define P2SEL0 INAS_PORT_EVEN(0x0200, 0x0A)
#define P2SEL1 INAS_PORT_EVEN(0x0200, 0x0C)
#define P3OUT INAS_PORT_ODD(0x0220, 0x02)
#define P3DIR INAS_PORT_ODD(0x0220, 0x04)
#define P4OUT INAS_PORT_EVEN(0x0220, 0x02)
#define P4DIR INAS_PORT_EVEN(0x0220, 0x04)
#define P5OUT INAS_PORT_ODD(0x0240, 0x02)
#define P5DIR INAS_PORT_ODD(0x0240, 0x04)
#define P6OUT INAS_PORT_EVEN(0x0240, 0x02)
#define P6DIR INAS_PORT_EVEN(0x0240, 0x04)
#define P6SEL0 INAS_PORT_EVEN(0x0240, 0x0A)
#define P6SEL1 INAS_PORT_EVEN(0x0240, 0x0C)

/* ---- Timer_A (TA0 at 0x0340, TA1 at 0x0380) ---------------------------------------------------------------- */
#define TA0CTL INAS_REG16(0x0340)
#define TA0R INAS_REG16(0x0350)
#define TA0IV INAS_REG16(0x036E)
#define TA1CTL INAS_REG16(0x0380)
#define TA1R INAS_REG16(0x0390)
#define TA1IV INAS_REG16(0x03AE)
#define TASSEL__SMCLK 0x0200u
#define ID__1 0x0000u
#define MC__STOP 0x0000u
#define MC__CONTINUOUS 0x0020u
#define TACLR 0x0004u
#define TAIE 0x0002u
#define TAIFG 0x0001u
#define TAIV__TAIFG 0x000Eu

/* ---- 32-bit hardware multiplier MPY32 (0x04C0) ------------------------------------------------------------ */
#define MPY INAS_REG16(0x04C0)
#define MPYS INAS_REG16(0x04C2)
#define MAC INAS_REG16(0x04C4)
#define MACS INAS_REG16(0x04C6)
#define OP2 INAS_REG16(0x04C8)
#define RESLO INAS_REG16(0x04CA)
#define RESHI INAS_REG16(0x04CC)
#define SUMEXT INAS_REG16(0x04CE)
#define MPY32L INAS_REG16(0x04D0)
#define MPY32H INAS_REG16(0x04D2)
#define MPYS32L INAS_REG16(0x04D4)
#define MPYS32H INAS_REG16(0x04D6)
#define MAC32L INAS_REG16(0x04D8)
#define MAC32H INAS_REG16(0x04DA)
#define MACS32L INAS_REG16(0x04DC)
#define MACS32H INAS_REG16(0x04DE)
#define OP2L INAS_REG16(0x04E0)
#define OP2H INAS_REG16(0x04E2)
#define RES0 INAS_REG16(0x04E4)
#define RES1 INAS_REG16(0x04E6)
#define RES2 INAS_REG16(0x04E8)
#define RES3 INAS_REG16(0x04EA)
#define MPY32CTL0 INAS_REG16(0x04EC)
#define MPYC 0x0001u                               /* carry of the 64-bit result (MACS overflow detection) */
#define MPYSAT 0x0020u
#define MPYFRAC 0x0010u

/* ---- DMA (0x0500): channel n at 0x0510 + 0x10 n ------------------------------------------------------------ */
#define DMACTL0 INAS_REG16(0x0500)
#define DMACTL1 INAS_REG16(0x0502)                 /* low byte DMA2TSEL, high byte DMA3TSEL */
#define DMACTL2 INAS_REG16(0x0504)                 /* low byte DMA4TSEL, high byte DMA5TSEL */
#define DMACTL4 INAS_REG16(0x0508)
#define DMAIV INAS_REG16(0x050E)
#define INAS_DMA_CTL(n) INAS_REG16(0x0510u + 0x10u * (n))
/* DMAxSA/DMAxDA are 20-bit; a word write to the low half clears bits 19-16, which is all 16-bit code needs. */
#define INAS_DMA_SA(n) INAS_REG16(0x0512u + 0x10u * (n))
#define INAS_DMA_DA(n) INAS_REG16(0x0516u + 0x10u * (n))
#define INAS_DMA_SZ(n) INAS_REG16(0x051Au + 0x10u * (n))
#define DMA3CTL INAS_DMA_CTL(3)
#define DMA3SZ INAS_DMA_SZ(3)
#define DMA4CTL INAS_DMA_CTL(4)
#define DMA4SZ INAS_DMA_SZ(4)
#define DMADT_0 0x0000u                            /* single transfer */
#define DMADSTINCR_0 0x0000u
#define DMADSTINCR_3 0x0C00u
#define DMASRCINCR_0 0x0000u
#define DMASRCINCR_3 0x0300u
#define DMADSTBYTE 0x0080u
#define DMASRCBYTE 0x0040u
#define DMALEVEL 0x0020u
#define DMAEN 0x0010u
#define DMAIFG 0x0008u
/* Trigger numbers for channels 3-5 (datasheet "DMA Trigger Assignments"; channels 0-2 map other eUSCIs there). */
#define INAS_DMA_TRIG_UCA3RXIFG 16u
#define INAS_DMA_TRIG_UCA3TXIFG 17u
#define DMA3TSEL__UCA3TXIFG (INAS_DMA_TRIG_UCA3TXIFG << 8)
#define DMA4TSEL__UCA3RXIFG (INAS_DMA_TRIG_UCA3RXIFG)

/* ---- eUSCI_A (A0 at 0x05C0, A3 at 0x0620) ------------------------------------------------------------------ */
#define INAS_UCA_CTLW0(base) INAS_REG16((base) + 0x00u)
#define INAS_UCA_BRW(base) INAS_REG16((base) + 0x06u)
#define INAS_UCA_MCTLW(base) INAS_REG16((base) + 0x08u)
#define INAS_UCA_STATW(base) INAS_REG16((base) + 0x0Au)
#define INAS_UCA_RXBUF(base) INAS_REG16((base) + 0x0Cu)
#define INAS_UCA_TXBUF(base) INAS_REG16((base) + 0x0Eu)
#define INAS_UCA_IE(base) INAS_REG16((base) + 0x1Au)
#define INAS_UCA_IFG(base) INAS_REG16((base) + 0x1Cu)
#define INAS_UCA_IV(base) INAS_REG16((base) + 0x1Eu)
#define INAS_UCA0_BASE 0x05C0u
#define INAS_UCA3_BASE 0x0620u
#define UCA0CTLW0 INAS_UCA_CTLW0(INAS_UCA0_BASE)
#define UCA0BRW INAS_UCA_BRW(INAS_UCA0_BASE)
#define UCA0MCTLW INAS_UCA_MCTLW(INAS_UCA0_BASE)
#define UCA0STATW INAS_UCA_STATW(INAS_UCA0_BASE)
#define UCA0RXBUF INAS_UCA_RXBUF(INAS_UCA0_BASE)
#define UCA0TXBUF INAS_UCA_TXBUF(INAS_UCA0_BASE)
#define UCA0IFG INAS_UCA_IFG(INAS_UCA0_BASE)
#define UCA0IE INAS_UCA_IE(INAS_UCA0_BASE)
#define UCA0IV INAS_UCA_IV(INAS_UCA0_BASE)
#define UCA3CTLW0 INAS_UCA_CTLW0(INAS_UCA3_BASE)
#define UCA3BRW INAS_UCA_BRW(INAS_UCA3_BASE)
#define UCA3STATW INAS_UCA_STATW(INAS_UCA3_BASE)
#define UCA3RXBUF INAS_UCA_RXBUF(INAS_UCA3_BASE)
#define UCA3TXBUF INAS_UCA_TXBUF(INAS_UCA3_BASE)
#define UCA3IFG INAS_UCA_IFG(INAS_UCA3_BASE)
#define UCA3RXBUF_ADDR (INAS_UCA3_BASE + 0x0Cu)
#define UCA3TXBUF_ADDR (INAS_UCA3_BASE + 0x0Eu)
#define UCSWRST 0x0001u
#define UCSSEL__SMCLK 0x0080u
#define UCSYNC 0x0100u
#define UCMST 0x0800u
#define UCMSB 0x2000u
#define UCCKPL 0x4000u
#define UCCKPH 0x8000u
#define UCOS16 0x0001u
#define UCBUSY 0x0001u
#define UCRXIFG 0x0001u
#define UCTXIFG 0x0002u
#define UCRXIE 0x0001u                             /* UCAxIE */
#define UCOE 0x0020u                               /* UCAxSTATW: receive overrun */
#define USCI_UART_UCRXIFG 0x0002u                  /* UCAxIV value of a received byte */

/* ---- Comparator_E (0x08C0) -------------------------------------------------------------------------------- */
#define CECTL0 INAS_REG16(0x08C0)
#define CECTL1 INAS_REG16(0x08C2)
#define CECTL2 INAS_REG16(0x08C4)
#define CECTL3 INAS_REG16(0x08C6)
#define CEINT INAS_REG16(0x08CC)
#define CEIV INAS_REG16(0x08CE)
#define CEIPEN 0x0080u                             /* CECTL0: enable the V+ channel; CEIPSEL in bits 3:0 */
#define CEOUT 0x0001u                              /* CECTL1 */
#define CEOUTPOL 0x0002u
#define CEF 0x0004u
#define CEIES 0x0008u
#define CEON 0x0400u
#define CEPWRMD_1 0x0100u                          /* normal power mode */
#define CERSEL 0x0020u                             /* CECTL2: reference to the V- terminal */
#define CERS_2 0x0080u                             /* resistor ladder from the shared reference */
#define CEREFL_1 0x2000u                           /* 1.2 V reference */
#define CEREFL_2 0x4000u                           /* 2.0 V reference */
#define CEREFL_3 0x6000u                           /* 2.5 V reference */
#define CEIFG 0x0001u                              /* CEINT */
#define CEIIFG 0x0002u
#define CEIE 0x0100u
#define CEIIE 0x0200u

/* ---- LEA (0x0A80): 32-bit registers; TI supports LEA only through DSPLib ---------------------------------- */
#define LEACAP INAS_REG32(0x0A80)
#define LEACNF0 INAS_REG32(0x0A84)
#define LEACNF1 INAS_REG32(0x0A88)
#define LEACNF2 INAS_REG32(0x0A8C)
#define LEAPMCTL INAS_REG32(0x0AC0)
#define LEAIFG INAS_REG32(0x0AF8)

/* ---- interrupt vectors (index i lives at 0xFF90 + 2 i; 56 vectors, 0xFF80-0xFF8F are signatures) ----------- */
#define INAS_VECTOR_TABLE_START 0xFF90u
#define INAS_VECTOR_COUNT 56u
#define INAS_VECTOR_INDEX(addr) (((addr) - INAS_VECTOR_TABLE_START) / 2u)
#define INAS_VEC_RESET INAS_VECTOR_INDEX(0xFFFEu)
#define INAS_VEC_COMP_E INAS_VECTOR_INDEX(0xFFF8u)
#define INAS_VEC_USCI_A0 INAS_VECTOR_INDEX(0xFFF0u)
#define INAS_VEC_TIMER0_A1 INAS_VECTOR_INDEX(0xFFE8u)
#define INAS_VEC_DMA INAS_VECTOR_INDEX(0xFFE4u)

/* ---- status register bits --------------------------------------------------------------------------------- */
#define GIE 0x0008u
#define CPUOFF 0x0010u

#endif /* INAS_MSP430FR5994_REGS_H */
