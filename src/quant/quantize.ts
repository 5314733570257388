/**
 * Post-training quantization to Q15 (firmware/Q15.md): per-layer power-of-two scales from calibration ranges of a
 * float forward pass, round-half-away weight quantization with saturation, the no-wrap bound on every output
 * channel, optional int8 weights. Pure functions.
 */
import { fmElements, type Network } from '../network/index.ts';
import { activationRanges, layerWeights, type FloatForwardOptions, type FloatWeights } from './float_forward.ts';
import type { QModel, QModelLayer } from './qmodel.ts';
import { quantizeInput, roundHalfAway } from './q15.ts';
import { referenceInference } from './reference.ts';

/** Limits of the spec: shifts in [−15, 31]; Σ|w_q| ≤ 65 535 per output channel (so Σ|x·w| < 2^31 for any int16 x). */
export const SHIFT_MIN = -15;
export const SHIFT_MAX = 31;
export const MAX_ABS_WEIGHT_SUM = 65535;
/** Fractional bits used for an all-zero tensor (any value works; this one keeps shifts small). */
const ZERO_FRAC = 15;

/** Options of `quantizeModel`. */
export interface QuantizeOptions extends FloatForwardOptions {
  /** 16 (Q15 weights, default) or 8 (int8 weights). */
  readonly weightBits?: 16 | 8;
  /** Number of calibration samples in `calibration` (default: all that fit). */
  readonly calibrationCount?: number;
}

/** The largest f with round(maxAbs · 2^f) ≤ limit (power-of-two scale that uses the whole range). */
export function fracFor(maxAbs: number, limit: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return ZERO_FRAC;
  let f = Math.floor(Math.log2(limit / maxAbs));
  while (roundHalfAway(maxAbs * 2 ** f) > limit) f--;
  while (roundHalfAway(maxAbs * 2 ** (f + 1)) <= limit) f++;
  return f;
}

/** Quantizes float weights with `frac` fractional bits, saturating at ±limit. */
function quantizeWeights(w: Float32Array, frac: number, bits: 16 | 8): Int16Array | Int8Array {
  const lo = bits === 16 ? -32768 : -128, hi = bits === 16 ? 32767 : 127;
  const out = bits === 16 ? new Int16Array(w.length) : new Int8Array(w.length);
  const scale = 2 ** frac;
  for (let i = 0; i < w.length; i++) {
    const q = roundHalfAway(w[i]! * scale);
    out[i] = q > hi ? hi : q < lo ? lo : q;
  }
  return out;
}

/** Largest Σ|w| over output channels (the last axis of the canonical order). */
export function maxAbsWeightSum(w: ArrayLike<number>, outChannels: number): number {
  const sums = new Float64Array(outChannels);
  for (let i = 0; i < w.length; i++) sums[i % outChannels] = sums[i % outChannels]! + Math.abs(w[i]!);
  let m = 0;
  for (const s of sums) m = Math.max(m, s);
  return m;
}

/**
 * Fractional bits of a layer's weights as `quantizeModel` chooses them: the whole range for max |w|, lowered until
 * Σ|w_q| ≤ 65 535 on every output channel (the last axis). Random bit error training uses it so that a flipped bit
 * has the weight it has on the deployed model. (quantizeModel may lower it further in the rare case of a shift
 * above SHIFT_MAX.)
 */
export function weightFracFor(w: Float32Array, outChannels: number, bits: 16 | 8 = 16): number {
  let maxW = 0;
  for (let k = 0; k < w.length; k++) maxW = Math.max(maxW, Math.abs(w[k]!));
  let f = fracFor(maxW, bits === 16 ? 32767 : 127);
  // No-wrap bound: Σ|w_q| · 32768 ≤ 2^31 − 1 for every output channel, whatever the int16 input.
  while (maxAbsWeightSum(quantizeWeights(w, f, bits), outChannels) > MAX_ABS_WEIGHT_SUM) f--;
  return f;
}

/** Byte size of a layer's weight block in the weights image (int16: 2 bytes each; int8 padded to even). */
export function weightBlockBytes(count: number, bits: 16 | 8): number {
  return bits === 16 ? 2 * count : count + (count % 2);
}

/**
 * Quantizes a float model. `weights`: one Float32Array per CONV/FC layer in canonical tfjs order;
 * `calibration`: float inputs (HWC, flattened, normalised like training data). Throws on mismatched sizes (a bug).
 */
export function quantizeModel(net: Network, weights: FloatWeights, calibration: Float32Array, opts: QuantizeOptions = {}): QModel {
  const bits = opts.weightBits ?? 16;
  const n = net.input[0] * net.input[1] * net.input[2];
  const count = opts.calibrationCount ?? Math.floor(calibration.length / n);
  const ranges = activationRanges(net, weights, calibration, count, opts);
  const per = layerWeights(net, weights);
  const inputFrac = fracFor(ranges.input_max_abs, 32767);
  let inFrac = inputFrac;
  let offset = 0;
  const layers: QModelLayer[] = net.layers.map((l, i) => {
    const w = per[i] ?? null;
    if (l.type === 'GAVGPOOL' || l.type === 'POOL' || !w) {
      const base = { name: l.name, type: l.type, relu: l.relu, in_frac: inFrac, w_frac: 0, out_frac: inFrac, shift: 0,
        weight_bits: bits, weights_offset_bytes: offset, weights_count: 0, weights: null };
      return l.type === 'POOL' ? { ...base, pool: opts.pool?.[l.name] ?? 'max' } : base;
    }
    let wFrac = weightFracFor(w, l.kernel.n, bits);
    let q = quantizeWeights(w, wFrac, bits);
    let outFrac = fracFor(ranges.layer_max_abs[i] ?? 0, 32767);
    let shift = inFrac + wFrac - outFrac;
    if (shift < SHIFT_MIN) { outFrac = inFrac + wFrac - SHIFT_MIN; shift = SHIFT_MIN; }
    while (shift > SHIFT_MAX) { wFrac--; shift--; q = quantizeWeights(w, wFrac, bits); }
    const layer: QModelLayer = { name: l.name, type: l.type, relu: l.relu, in_frac: inFrac, w_frac: wFrac, out_frac: outFrac,
      shift, weight_bits: bits, weights_offset_bytes: offset, weights_count: w.length, weights: q };
    offset += weightBlockBytes(w.length, bits);
    inFrac = outFrac;
    return layer;
  });
  return { net, input_frac: inputFrac, layers };
}

/** A labelled split (structurally the data module's `Split`). */
export interface LabelledSplit {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
}

/** Accuracy (fraction) of the integer reference on a split: quantize_input, reference inference, argmax. */
export function evaluateQModel(q: QModel, split: LabelledSplit): number {
  const n = q.net.input[0] * q.net.input[1] * q.net.input[2];
  if (split.count === 0) return 0;
  let correct = 0;
  for (let s = 0; s < split.count; s++) {
    const input = quantizeInput(split.x.subarray(s * n, (s + 1) * n), q.input_frac);
    if (referenceInference(q, input).class === split.y[s]) correct++;
  }
  return correct / split.count;
}

/** Real values of the logits (for comparisons with the float model). */
export function dequantizeLogits(q: QModel, logits: Int16Array): Float64Array {
  const last = q.layers[q.layers.length - 1];
  const f = last ? last.out_frac : 0;
  return Float64Array.from(logits, (v) => v * 2 ** -f);
}

/** Total weight bytes of the image (see `weightBlockBytes`). */
export function weightsImageBytes(q: QModel): number {
  return q.layers.reduce((s, l) => s + weightBlockBytes(l.weights_count, l.weight_bits), 0);
}

/** The weights image `inas-q-v1`: each layer's block at its offset, little-endian int16 (or int8, padded to even). */
export function encodeWeights(q: QModel): Uint8Array {
  const out = new Uint8Array(weightsImageBytes(q));
  const view = new DataView(out.buffer);
  for (const l of q.layers) {
    if (!l.weights) continue;
    for (let i = 0; i < l.weights.length; i++) {
      if (l.weight_bits === 16) view.setInt16(l.weights_offset_bytes + 2 * i, l.weights[i]!, true);
      else view.setInt8(l.weights_offset_bytes + i, l.weights[i]!);
    }
  }
  return out;
}

/** Element count of a network's input (H·W·C). */
export function inputElements(net: Network): number {
  return net.input[0] * net.input[1] * net.input[2];
}

/** Largest feature map (elements), for callers that size buffers. */
export function maxFeatureMapElements(net: Network): number {
  return Math.max(inputElements(net), ...net.layers.map((l) => fmElements(l.ofm)));
}

/** The `quant` section of a solution file for a QModel (the QuantLayers without their weights). */
export function quantSection(q: QModel): { input_frac: number; layers: import('./solution.ts').QuantLayer[] } {
  return {
    input_frac: q.input_frac,
    layers: q.layers.map(({ weights: _w, ...l }) => l),
  };
}
