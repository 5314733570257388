/**
 * The fault space of a quantized model (which words can be hit, their widths, MACs) and seeded fault drawing.
 * Common random numbers: the draw of run r depends only on (seed, r) and the fault space, so two models evaluated
 * with the same seed see corresponding patterns, and any run can be regenerated from its seed.
 */
import { createRng, issue, type InasIssue, type Rng } from '../settings/index.ts';
import { fmElements, layerMacs } from '../network/index.ts';
import type { QModel } from '../quant/index.ts';
import type { FaultKind } from './bits.ts';
import { eligibleBits, type FaultSpec } from './spec.ts';

/** One corruptible tensor. */
export interface FaultTensor {
  readonly layerIndex: number;
  readonly layer: string;
  /** Number of words. */
  readonly length: number;
  /** Bits per word. */
  readonly width: number;
  /** MACs of the layer (for rates scaled by MACs). */
  readonly macs: number;
  /** Eligible bit positions under the spec. */
  readonly bits: readonly number[];
}

/** One drawn fault (before it is applied: `old`/`new` are filled when applied). */
export interface DrawnFault {
  readonly tensor: number;
  readonly layer: string;
  readonly index: number;
  /** Bit positions hit (empty for `random`, which replaces the word). */
  readonly bits: readonly number[];
  readonly kind: FaultKind;
  /** Replacement word for `random`. */
  readonly randomWord: number;
  /** Sample (inference) index for transient faults; -1 for permanent ones. */
  readonly sample: number;
}

/** The fault space of a model for a spec. */
export function faultSpace(q: QModel, spec: FaultSpec): FaultTensor[] {
  const out: FaultTensor[] = [];
  q.net.layers.forEach((layer, i) => {
    if (spec.layers.length && !spec.layers.includes(layer.name)) return;
    const ql = q.layers[i];
    if (!ql) return;
    let length = 0, width = 16;
    if (spec.target === 'weights') {
      if (!ql.weights) return;
      length = ql.weights.length;
      width = ql.weight_bits;
    } else if (spec.target === 'activations') {
      length = fmElements(layer.ofm);
    } else if (spec.target === 'scales') {
      length = 1;
      width = 8;
    } else return;
    const bits = eligibleBits(spec, width);
    if (bits.length === 0 && spec.model !== 'random') return;
    out.push({ layerIndex: i, layer: layer.name, length, width, macs: layerMacs(layer), bits });
  });
  return out;
}

/**
 * A numeric `--bits` range that reaches past a word of the fault space (e.g. bit 8..15 of int8 weights, bit 16.. of a
 * Q15 word): one issue naming the flag, the value, the layer and its word width; null when every word has the bits.
 */
export function bitsWidthIssue(space: readonly FaultTensor[], spec: FaultSpec): InasIssue | null {
  if (spec.bits === 'all' || spec.bits === 'msb') return null;
  const { lo, hi } = spec.bits;
  const narrow = space.filter((t) => hi >= t.width);
  if (!narrow.length) return null;
  const t = narrow[0]!;
  const text = lo === hi ? `${lo}` : `${lo}-${hi}`;
  const kind = spec.target === 'weights' ? (t.width === 8 ? 'int8 weights' : 'Q15 weights') : spec.target === 'psums' ? '32-bit partial sums' : `${spec.target} words`;
  return issue('invalid_argument', '--bits', `"${text}" reaches bit ${hi}, but the ${kind} of layer ${t.layer} are ${t.width} bits wide (bits 0..${t.width - 1})` +
    `${narrow.length > 1 ? ` (also ${narrow.slice(1).map((x) => x.layer).join(', ')})` : ''}; use a range within 0..${t.width - 1}, "msb", or --layers`);
}

/** Number of distinct single faults (word × eligible bit): the population of a single-fault campaign. */
export function populationSize(space: readonly FaultTensor[], spec: FaultSpec): number {
  return space.reduce((n, t) => n + t.length * (spec.model === 'random' ? 1 : burstStarts(t.bits, spec).length), 0);
}

function burstStarts(bits: readonly number[], spec: FaultSpec): number[] {
  if (spec.model !== 'burst') return [...bits];
  const set = new Set(bits);
  return bits.filter((b) => { for (let k = 0; k < spec.burstLength; k++) if (!set.has(b + k)) return false; return true; });
}

function hash32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/** The RNG of run `run` of a campaign with seed `seed` (and inference `sample` for transient draws). */
export function runRng(seed: number, run: number, sample = -1): Rng {
  return createRng(hash32(hash32(seed >>> 0, run >>> 0), (sample + 1) >>> 0));
}

function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const l = Math.exp(-lambda);
  let k = 0, p = 1;
  do { k++; p *= rng.next(); } while (p > l);
  return k - 1;
}

function makeFault(space: readonly FaultTensor[], spec: FaultSpec, ti: number, index: number, startBit: number, rng: Rng, sample: number): DrawnFault {
  const t = space[ti]!;
  const bits = spec.model === 'random' ? [] : spec.model === 'burst'
    ? Array.from({ length: spec.burstLength }, (_, k) => startBit + k).filter((b) => b < t.width)
    : [startBit];
  return { tensor: ti, layer: t.layer, index, bits, kind: spec.model, randomWord: rng.int(1 << t.width), sample };
}

/** Draws the faults of one pattern (a run for permanent faults, one inference for transient ones). */
export function drawFaults(space: readonly FaultTensor[], spec: FaultSpec, rng: Rng, sample = -1): DrawnFault[] {
  const out: DrawnFault[] = [];
  if (space.length === 0) return out;
  const starts = space.map((t) => (spec.model === 'random' ? [0] : burstStarts(t.bits, spec)));
  const perWord = starts.map((s) => s.length);
  const weights = space.map((t, i) => t.length * (perWord[i] ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return out;
  const locate = (pos: number): void => {
    let ti = 0;
    while (pos >= (weights[ti] ?? 0)) { pos -= weights[ti] ?? 0; ti++; }
    const pw = perWord[ti] ?? 1;
    const index = Math.floor(pos / pw);
    const bit = starts[ti]?.[pos % pw] ?? 0;
    out.push(makeFault(space, spec, ti, index, bit, rng, sample));
  };
  const a = spec.amount;
  if (a.kind === 'count') {
    const chosen = new Set<number>();
    const k = Math.min(a.count, total);
    while (chosen.size < k) chosen.add(Math.floor(rng.next() * total));
    for (const pos of chosen) locate(pos);
  } else if (a.kind === 'ber') {
    // Bernoulli(p) per eligible bit, by geometric skipping: O(number of faults).
    if (a.rate <= 0) return out;
    if (a.rate >= 1) { for (let pos = 0; pos < total; pos++) locate(pos); return out; }
    const logq = Math.log1p(-a.rate);
    let pos = -1;
    for (;;) {
      let u = rng.next();
      if (u === 0) u = Number.MIN_VALUE;
      pos += 1 + Math.floor(Math.log(u) / logq);
      if (pos >= total) break;
      locate(pos);
    }
  } else {
    space.forEach((t, ti) => {
      const scale = a.by === 'macs' ? t.macs : t.length * t.width;
      const k = Math.min(poisson(rng, a.rate * scale), weights[ti] ?? 0);
      for (let j = 0; j < k; j++) {
        const pos = Math.floor(rng.next() * (weights[ti] ?? 0));
        const pw = perWord[ti] ?? 1;
        out.push(makeFault(space, spec, ti, Math.floor(pos / pw), starts[ti]?.[pos % pw] ?? 0, rng, sample));
      }
    });
  }
  return out;
}
