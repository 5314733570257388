/**
 * The Q15 helpers of firmware/Q15.md, one to one with the firmware's `q15.h` (same names in snake_case there,
 * same test vectors: test/quant/q15_vectors.json). Integers are JS numbers; every result is exact.
 */

/** Lowest and highest int16 values. */
export const Q15_MIN = -32768;
export const Q15_MAX = 32767;

/** Clamps an integer to [−32768, 32767]. */
export function sat16(x: number): number {
  return x > Q15_MAX ? Q15_MAX : x < Q15_MIN ? Q15_MIN : x;
}

/**
 * `round_shift(acc, s)`: for s ≥ 1, (acc + 2^(s−1)) >> s with a floor shift, computed without overflow (round half
 * up); s = 0: acc; s < 0: acc · 2^(−s) (the caller saturates). `acc` is an int32 (an accumulator after wrap).
 * For 1 ≤ s ≤ 31 this equals `(acc >> s) + ((acc >> (s − 1)) & 1)` in 32-bit arithmetic, which is what we compute.
 */
export function roundShift(acc: number, s: number): number {
  if (s > 0) {
    if (s <= 31) return (acc >> s) + ((acc >> (s - 1)) & 1);
    return Math.floor((acc + 2 ** (s - 1)) / 2 ** s);
  }
  if (s === 0) return acc;
  return acc * 2 ** -s;
}

/** `requant(acc, s) = sat16(round_shift(acc, s))`. */
export function requant(acc: number, s: number): number {
  return sat16(roundShift(acc, s));
}

/**
 * `div_round(sum, n)` for n ≥ 1: round half away from zero, as C99 truncating division:
 * `sum ≥ 0 ? (sum + n/2) / n : −((−sum + n/2) / n)`.
 */
export function divRound(sum: number, n: number): number {
  const half = Math.floor(n / 2);
  return sum >= 0 ? Math.trunc((sum + half) / n) : -Math.trunc((-sum + half) / n);
}

/** Rounds half away from zero (host side only: float → integer). */
export function roundHalfAway(v: number): number {
  return v >= 0 ? Math.floor(v + 0.5) : -Math.floor(-v + 0.5);
}

/** `quantize_input(x, f) = sat16(round_half_away(x · 2^f))` for one value. */
export function quantizeValue(x: number, f: number): number {
  return sat16(roundHalfAway(x * 2 ** f));
}

/** Quantizes a float input vector with `f` fractional bits (Q15.md "quantize_input"). */
export function quantizeInput(x: Float32Array | Float64Array | readonly number[], frac: number): Int16Array {
  const out = new Int16Array(x.length);
  const scale = 2 ** frac;
  for (let i = 0; i < x.length; i++) out[i] = sat16(roundHalfAway((x[i] ?? 0) * scale));
  return out;
}

/** The real value of a quantized integer: q · 2^(−f). */
export function dequantize(q: number, frac: number): number {
  return q * 2 ** -frac;
}
