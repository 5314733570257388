/**
 * An independent BigInt oracle of firmware/Q15.md, written from the text of the spec (arbitrary-precision
 * integers, no 32-bit tricks), used to check the fast TS reference and to generate q15_vectors.json.
 */

export function oSat16(x: bigint): bigint {
  return x > 32767n ? 32767n : x < -32768n ? -32768n : x;
}

/** round_shift: s ≥ 1 → floor((acc + 2^(s−1)) / 2^s); s = 0 → acc; s < 0 → acc · 2^(−s). */
export function oRoundShift(acc: bigint, s: number): bigint {
  if (s >= 1) {
    const v = acc + (1n << BigInt(s - 1));
    const d = 1n << BigInt(s);
    // BigInt division truncates; make it a floor.
    const q = v / d;
    return v < 0n && q * d !== v ? q - 1n : q;
  }
  if (s === 0) return acc;
  return acc * (1n << BigInt(-s));
}

export function oRequant(acc: bigint, s: number): bigint {
  return oSat16(oRoundShift(acc, s));
}

/** div_round with C99 truncating division (BigInt `/` truncates too). */
export function oDivRound(sum: bigint, n: bigint): bigint {
  const half = n / 2n;
  return sum >= 0n ? (sum + half) / n : -((-sum + half) / n);
}

/** Σ x·w modulo 2^32, as a signed int32. */
export function oMacWrap(x: readonly number[], w: readonly number[]): bigint {
  let acc = 0n;
  for (let i = 0; i < x.length; i++) acc += BigInt(x[i]!) * BigInt(w[i]!);
  return BigInt.asIntN(32, acc);
}

/** quantize_input with exact rational arithmetic: x is a float (exact binary fraction). */
export function oQuantizeValue(x: number, f: number): bigint {
  // x · 2^60 is an exact integer for a float32 x with |x| ≥ 2^-36 (or 0); then v = big · 2^(f − 60).
  const scaled = x * 2 ** 60;
  if (!Number.isInteger(scaled)) throw new Error(`oracle: ${x} is not a float32 value ≥ 2^-36`);
  const big = BigInt(scaled);
  // v = big · 2^(f − 60); round half away from zero.
  const e = f - 60;
  let q: bigint;
  if (e >= 0) q = big * (1n << BigInt(e));
  else {
    const d = 1n << BigInt(-e);
    const a = big < 0n ? -big : big;
    const r = (a + d / 2n) / d;
    q = big < 0n ? -r : r;
  }
  return oSat16(q);
}

/** A QModel-shaped value the oracle needs (kept structural so the oracle does not share code with src/). */
export interface OracleLayer {
  readonly type: string;
  readonly relu: boolean;
  readonly shift: number;
  readonly pool?: string;
  readonly weights: ArrayLike<number> | null;
}
export interface OracleNetLayer {
  readonly type: string;
  readonly stride: number;
  readonly kernel: { n: number; ch: number; h: number; w: number };
  readonly ifm: { ch: number; h: number; w: number };
  readonly ofm: { ch: number; h: number; w: number };
}

/** Whole-network inference straight from the text of Q15.md, BigInt everywhere, index formulas spelled out. */
export function oReference(netLayers: readonly OracleNetLayer[], q: readonly OracleLayer[], input: ArrayLike<number>): number[][] {
  let x = Array.from(input, (v) => BigInt(v));
  const outs: number[][] = [];
  netLayers.forEach((l, i) => {
    const ql = q[i]!;
    const { h: H, w: W, ch: C } = l.ifm;
    const X = (r: number, c: number, n: number): bigint => x[(r * W + c) * C + n]!;
    const y: bigint[] = [];
    const OH = l.ofm.h, OW = l.ofm.w, S = l.stride;
    void H;
    if (l.type === 'CONV' || l.type === 'FC') {
      const { h: KH, w: KW, n: M } = l.kernel;
      const w = ql.weights!;
      const Wt = (kh: number, kw: number, n: number, m: number): bigint => BigInt(w[((kh * KW + kw) * C + n) * M + m]!);
      for (let r = 0; r < OH; r++) for (let c = 0; c < OW; c++) for (let m = 0; m < M; m++) {
        let acc = 0n;
        for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) for (let n = 0; n < C; n++) {
          acc += X(r * S + kh, c * S + kw, n) * Wt(kh, kw, n, m);
        }
        acc = BigInt.asIntN(32, acc); // modulo 2^32, as int32
        let v = oRequant(acc, ql.shift);
        if (ql.relu && v < 0n) v = 0n;
        y.push(v);
      }
    } else if (l.type === 'GAVGPOOL') {
      for (let n = 0; n < C; n++) {
        let sum = 0n;
        for (let r = 0; r < l.ifm.h; r++) for (let c = 0; c < W; c++) sum += X(r, c, n);
        let v = oSat16(oDivRound(sum, BigInt(l.ifm.h * W)));
        if (ql.relu && v < 0n) v = 0n;
        y.push(v);
      }
    } else {
      const { h: KH, w: KW } = l.kernel;
      for (let r = 0; r < OH; r++) for (let c = 0; c < OW; c++) for (let n = 0; n < C; n++) {
        let best: bigint | null = null, sum = 0n;
        for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
          const v = X(r * S + kh, c * S + kw, n);
          if (best === null || v > best) best = v;
          sum += v;
        }
        let v = ql.pool === 'avg' ? oSat16(oDivRound(sum, BigInt(KH * KW))) : best!;
        if (ql.relu && v < 0n) v = 0n;
        y.push(v);
      }
    }
    outs.push(y.map(Number));
    x = y;
  });
  return outs;
}
