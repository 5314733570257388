/**
 * Legal value sets of the original explorer (reference §1.3, `common.filter_legal_tilesizes/pressizes`), in its
 * enumeration order (ascending). Returned as Int32Arrays.
 */
import { KIND_CONV, KIND_GAVGPOOL, type LayerDims } from './dims.ts';
import { ORDER_I, ORDER_O, ORDER_W } from './design.ts';

/** {1} ∪ {d ∈ [2..n] : n mod d = 0}: every divisor of n, ascending. */
export function divisors(n: number): Int32Array {
  const out: number[] = [1];
  for (let d = 2; d <= n; d++) if (n % d === 0) out.push(d);
  return Int32Array.from(out);
}

/** {1} ∪ {even d ∈ [2..n] : n mod d = 0}, ascending. */
export function evenDivisorsAndOne(n: number): Int32Array {
  const out: number[] = [1];
  for (let d = 2; d <= n; d += 2) if (n % d === 0) out.push(d);
  return Int32Array.from(out);
}

/** Number of elements of {1} ∪ even divisors of n (the size of the S set for `iters` = n). */
export function countEvenDivisorsAndOne(n: number): number {
  let c = 1;
  for (let d = 2; d <= n; d += 2) if (n % d === 0) c++;
  return c;
}

/** The tile-size candidate lists of a layer: Tr, Tc, Tm, Tn and the legal loop orders. */
export interface TileSets {
  readonly tr: Int32Array;
  readonly tc: Int32Array;
  readonly tm: Int32Array;
  readonly tn: Int32Array;
  readonly orders: Int32Array;
}

/** Legal tile sizes (§1.3): CONV/FC all divisors (Tn: 1 or even); POOL/GAVGPOOL 1 or even divisors, Tn = 1, reuse_O. */
export function legalTileSets(d: LayerDims): TileSets {
  if (d.kind === KIND_CONV) {
    return { tr: divisors(d.R), tc: divisors(d.C), tm: divisors(d.M), tn: evenDivisorsAndOne(d.N), orders: Int32Array.of(ORDER_I, ORDER_W, ORDER_O) };
  }
  if (d.kind === KIND_GAVGPOOL) {
    return { tr: evenDivisorsAndOne(d.H), tc: evenDivisorsAndOne(d.W), tm: evenDivisorsAndOne(d.M), tn: Int32Array.of(1), orders: Int32Array.of(ORDER_O) };
  }
  return { tr: evenDivisorsAndOne(d.R), tc: evenDivisorsAndOne(d.C), tm: evenDivisorsAndOne(d.M), tn: Int32Array.of(1), orders: Int32Array.of(ORDER_O) };
}

/** Legal preservation batch sizes for a batched loop of `iters` iterations: {1} ∪ even divisors. */
export function legalBatchSizes(iters: number): Int32Array {
  return evenDivisorsAndOne(iters);
}
