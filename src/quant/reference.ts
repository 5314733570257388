/**
 * The integer-exact reference inference of firmware/Q15.md: every layer computed exactly as the firmware must,
 * bit for bit (uint32-wrapping accumulation, round-half-up requantisation, saturation, ReLU after requant,
 * round-half-away GAP division). Tight loops over typed arrays: the faults campaign runs it thousands of times.
 */
import type { Layer } from '../network/index.ts';
import type { QModel, QModelLayer } from './qmodel.ts';
import { divRound, Q15_MAX, Q15_MIN } from './q15.ts';

/** Options of `referenceInference`. */
export interface ReferenceOptions {
  /** Return every layer's output feature map (HWC), in layer order; the last one is the logits. */
  readonly trace?: boolean;
  /**
   * Called with each layer's output right after it is computed; it may modify the array in place (fault injection
   * in activations). The next layer reads the modified values.
   */
  readonly onLayer?: (index: number, output: Int16Array) => void;
}

/** Result of one reference inference. */
export interface ReferenceResult {
  /** FC_END output, int16 with the last layer's out_frac. */
  readonly logits: Int16Array;
  /** Index of the first maximum of the logits. */
  readonly class: number;
  /** Every layer's output (only with `trace`). */
  readonly activations?: Int16Array[];
}

/**
 * CONV (1-D/2-D) and FC: `acc = Σ x·w` modulo 2^32, `y = requant(acc, shift)`, then ReLU. FC is a CONV whose kernel
 * covers its whole input, so one loop nest serves both. `out` has ofm.h·ofm.w·ofm.n elements (HWC).
 */
export function convLayer(layer: Layer, w: Int16Array | Int8Array, shift: number, relu: boolean, x: Int16Array, out: Int16Array): void {
  const W = layer.ifm.w, C = layer.ifm.ch;
  const KH = layer.kernel.h, KW = layer.kernel.w, M = layer.kernel.n, S = layer.stride;
  const OH = layer.ofm.h, OW = layer.ofm.w;
  const rowLen = KW * C;
  const acc = new Int32Array(M);
  // round_shift for 1 ≤ s ≤ 31 is (acc >> s) + ((acc >> (s−1)) & 1); s ≤ 0 multiplies (then saturates).
  const s = shift, s1 = shift - 1, mul = shift < 0 ? 2 ** -shift : 1;
  let o = 0;
  for (let r = 0; r < OH; r++) {
    for (let c = 0; c < OW; c++) {
      acc.fill(0);
      for (let kh = 0; kh < KH; kh++) {
        const xBase = ((r * S + kh) * W + c * S) * C;
        const wBase = kh * rowLen * M;
        for (let j = 0; j < rowLen; j++) {
          const xv = x[xBase + j]!;
          if (xv === 0) continue;
          const wb = wBase + j * M;
          // Int32Array stores wrap modulo 2^32 (ToInt32): this is the uint32 accumulation of Q15.md.
          for (let m = 0; m < M; m++) acc[m] = acc[m]! + xv * w[wb + m]!;
        }
      }
      for (let m = 0; m < M; m++) {
        const a = acc[m]!;
        let y = s > 0 ? (a >> s) + ((a >> s1) & 1) : a * mul;
        if (y > Q15_MAX) y = Q15_MAX; else if (y < Q15_MIN) y = Q15_MIN;
        if (relu && y < 0) y = 0;
        out[o++] = y;
      }
    }
  }
}

/** GAVGPOOL: per channel, `sat16(div_round(Σ x, h·w))` (the sum fits in int32 for ≤ 65 535 terms). */
export function gapLayer(layer: Layer, x: Int16Array, out: Int16Array): void {
  const C = layer.ifm.ch, n = layer.ifm.h * layer.ifm.w;
  for (let ch = 0; ch < C; ch++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i * C + ch]!;
    const y = divRound(sum, n);
    out[ch] = y > Q15_MAX ? Q15_MAX : y < Q15_MIN ? Q15_MIN : y;
  }
}

/** POOL (max or average) with a kh × kw window, the layer's stride, valid padding. */
export function poolLayer(layer: Layer, kind: 'max' | 'avg', x: Int16Array, out: Int16Array): void {
  const W = layer.ifm.w, C = layer.ifm.ch;
  const KH = layer.kernel.h, KW = layer.kernel.w, S = layer.stride;
  const OH = layer.ofm.h, OW = layer.ofm.w, n = KH * KW;
  let o = 0;
  for (let r = 0; r < OH; r++) {
    for (let c = 0; c < OW; c++) {
      for (let ch = 0; ch < C; ch++) {
        let best = Q15_MIN, sum = 0;
        for (let kh = 0; kh < KH; kh++) {
          for (let kw = 0; kw < KW; kw++) {
            const v = x[((r * S + kh) * W + (c * S + kw)) * C + ch]!;
            if (v > best) best = v;
            sum += v;
          }
        }
        let y = kind === 'max' ? best : divRound(sum, n);
        if (y > Q15_MAX) y = Q15_MAX; else if (y < Q15_MIN) y = Q15_MIN;
        out[o++] = y;
      }
    }
  }
}

/** Computes one layer of a quantized model (allocates its output). */
export function runLayer(layer: Layer, q: QModelLayer, x: Int16Array): Int16Array {
  const out = new Int16Array(layer.ofm.ch * layer.ofm.h * layer.ofm.w);
  switch (layer.type) {
    case 'CONV':
    case 'FC':
      if (!q.weights) throw new Error(`layer ${layer.name}: missing weights`);
      convLayer(layer, q.weights, q.shift, q.relu, x, out);
      break;
    case 'GAVGPOOL':
      gapLayer(layer, x, out);
      break;
    case 'POOL':
      poolLayer(layer, q.pool ?? 'max', x, out);
      break;
  }
  if (q.relu && (layer.type === 'GAVGPOOL' || layer.type === 'POOL')) {
    for (let i = 0; i < out.length; i++) if (out[i]! < 0) out[i] = 0;
  }
  return out;
}

/** Index of the first maximum. */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/**
 * Runs the quantized model on one quantized input (HWC, `input_frac` fractional bits), integer-exact per
 * firmware/Q15.md. Throws only on a malformed model or input size (a bug in the caller).
 */
export function referenceInference(q: QModel, input: Int16Array, opts: ReferenceOptions = {}): ReferenceResult {
  const [H, W, C] = q.net.input;
  if (input.length !== H * W * C) throw new Error(`referenceInference: input has ${input.length} values, expected ${H * W * C}`);
  if (q.layers.length !== q.net.layers.length) throw new Error('referenceInference: QModel layers do not match its network');
  const acts: Int16Array[] | undefined = opts.trace ? [] : undefined;
  let x = input;
  for (let i = 0; i < q.net.layers.length; i++) {
    x = runLayer(q.net.layers[i]!, q.layers[i]!, x);
    opts.onLayer?.(i, x);
    acts?.push(x);
  }
  const result = { logits: x, class: argmax(x) };
  return acts ? { ...result, activations: acts } : result;
}
