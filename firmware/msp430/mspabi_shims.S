/*
 * The 64-bit MSP430 EABI helpers take operand a in R8 (low word) .. R11 and operand b in R12 .. R15 and return the
 * result in R12 .. R15. Each shim pushes b so that it becomes the C function's stack argument, moves a into
 * R12 .. R15 (the C convention's first 64-bit argument), calls the C implementation in mspabi.c and drops b.
 * (clang calls the hardware-multiplier variants __mspabi_mpyll_hw/_f5hw with the ordinary C convention, so those
 * are plain C functions.) R8-R11 belong to the caller under this convention, so the shims may clobber them (the C code preserves them).
 */
  .text

  .macro INAS_SHIM64 name, impl
  .section .text.\name,"ax",@progbits
  .global \name
  .type \name,@function
  .p2align 1
\name:
  push r15
  push r14
  push r13
  push r12
  mov r8, r12
  mov r9, r13
  mov r10, r14
  mov r11, r15
  call #\impl
  add #8, r1
  ret
  .size \name, . - \name
  .endm

  INAS_SHIM64 __mspabi_mpyll, inas_mspabi_mpyll
  INAS_SHIM64 __mspabi_divull, inas_mspabi_divull
  INAS_SHIM64 __mspabi_remull, inas_mspabi_remull
  INAS_SHIM64 __mspabi_divlli, inas_mspabi_divlli
  INAS_SHIM64 __mspabi_remlli, inas_mspabi_remlli
