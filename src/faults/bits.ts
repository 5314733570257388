/**
 * Bit-level fault operations on two's-complement words (Q15 int16, int8), as mask algebra: flip = XOR,
 * stuck-at-0 = AND NOT, stuck-at-1 = OR, random value = replace. Results are re-sign-extended to the word width.
 */

/** The fault operations. */
export const FAULT_KINDS = ['bitflip', 'burst', 'stuck0', 'stuck1', 'random'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Sign-extends the low `width` bits of x. */
export function signExtend(x: number, width: number): number {
  const shift = 32 - width;
  return ((x << shift) >> shift);
}

/** Mask with the given bit positions set (positions < width). */
export function bitMask(bits: readonly number[]): number {
  let m = 0;
  for (const b of bits) m |= 1 << b;
  return m >>> 0;
}

/** Applies a fault to one word: `value` is the signed word, `bits` the positions, `randomWord` the replacement for 'random'. */
export function applyWordFault(value: number, width: number, kind: FaultKind, bits: readonly number[], randomWord = 0): number {
  const full = width >= 32 ? 0xffffffff : (1 << width) - 1;
  const u = value & full;
  const m = bitMask(bits) & full;
  switch (kind) {
    case 'bitflip':
    case 'burst':
      return signExtend((u ^ m) & full, width);
    case 'stuck0':
      return signExtend(u & ~m & full, width);
    case 'stuck1':
      return signExtend((u | m) & full, width);
    case 'random':
      return signExtend(randomWord & full, width);
  }
}
