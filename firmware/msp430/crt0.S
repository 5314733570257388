/*
 * Start-up code for 16-bit MSP430 code on the MSP430FR5994 and in mspdebug's simulator (no C library needed).
 * On every reset (a power failure is one): set the stack pointer to the top of SRAM, call the platform's
 * inas_platform_early_init() (the real part stops its watchdog there, before anything slow), copy .data from its
 * FRAM image into SRAM, clear .bss, call main(), then inas_platform_exit(status), which does not return.
 * .persistent (FRAM) is never touched here: it keeps its contents across resets, which is what NVM means.
 * Symbols come from the linker script (msp430fr5994.ld / msp430_sim.ld).
 */
  .section .text.crt0,"ax",@progbits
  .global _inas_reset
  .type _inas_reset,@function
  .p2align 1
_inas_reset:
  mov #__stack_top, r1
  call #inas_platform_early_init

  mov #__data_load_start, r12
  mov #__data_start, r13
  mov #__data_end, r14
1:
  cmp r14, r13
  jhs 2f
  mov @r12, 0(r13)
  incd r12
  incd r13
  jmp 1b
2:
  mov #__bss_start, r13
  mov #__bss_end, r14
3:
  cmp r14, r13
  jhs 4f
  clr 0(r13)
  incd r13
  jmp 3b
4:
  call #main
  call #inas_platform_exit
5:
  jmp 5b
  .size _inas_reset, . - _inas_reset

/* Interrupt vector table: one word per vector from 0xFF90 to 0xFFFE (56 vectors; 0xFF80-0xFF8F hold the JTAG/BSL
 * signatures and stay erased). Unused vectors point at a handler that returns; a platform installs its own
 * handlers through the weak aliases below. */
  .section .text.inas_unused_isr,"ax",@progbits
  .weak inas_unused_isr
  .p2align 1
inas_unused_isr:
  reti

  .weak inas_isr_comp_e
  .set inas_isr_comp_e, inas_unused_isr
  .weak inas_isr_timer0_a1
  .set inas_isr_timer0_a1, inas_unused_isr
  .weak inas_isr_dma
  .set inas_isr_dma, inas_unused_isr
  .weak inas_isr_usci_a0
  .set inas_isr_usci_a0, inas_unused_isr

  .section .vectors,"a",@progbits
  .global __inas_vectors
__inas_vectors:
  .rept 42                     /* 0xFF90 .. 0xFFE2 */
  .word inas_unused_isr
  .endr
  .word inas_isr_dma           /* 0xFFE4 DMA */
  .word inas_unused_isr        /* 0xFFE6 eUSCI_A1 */
  .word inas_isr_timer0_a1     /* 0xFFE8 Timer0_A1 (TAIFG) */
  .word inas_unused_isr        /* 0xFFEA Timer0_A0 */
  .word inas_unused_isr        /* 0xFFEC ADC12_B */
  .word inas_unused_isr        /* 0xFFEE eUSCI_B0 */
  .word inas_isr_usci_a0       /* 0xFFF0 eUSCI_A0 (UART receive) */
  .word inas_unused_isr        /* 0xFFF2 WDT */
  .word inas_unused_isr        /* 0xFFF4 Timer0_B1 */
  .word inas_unused_isr        /* 0xFFF6 Timer0_B0 */
  .word inas_isr_comp_e        /* 0xFFF8 Comparator_E */
  .word inas_unused_isr        /* 0xFFFA user NMI */
  .word inas_unused_isr        /* 0xFFFC system NMI */
  .word _inas_reset            /* 0xFFFE reset */
