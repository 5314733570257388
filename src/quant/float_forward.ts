/**
 * A float forward pass over the layer IR with float weights in canonical tfjs order (firmware/Q15.md "Output"):
 * valid padding, no bias, ReLU where the IR says, GAP, dense head. It gives the quantizer its calibration ranges
 * without tfjs, and the tests a float oracle for the Q15 reference.
 */
import { fmElements, type Layer, type Network } from '../network/index.ts';
import type { PoolKind } from './solution.ts';

/** Float weights for the CONV/FC layers of `net`, in layer order (pooling layers take none). */
export type FloatWeights = readonly Float32Array[];

/** Options of the float forward pass. */
export interface FloatForwardOptions {
  /** Kind of each POOL layer by layer name (max when absent). */
  readonly pool?: Readonly<Record<string, PoolKind>>;
}

/** Maps each IR layer to its weight array (null for pooling layers); checks sizes. Throws on a mismatch (a bug). */
export function layerWeights(net: Network, weights: FloatWeights): (Float32Array | null)[] {
  let k = 0;
  const out = net.layers.map((l) => {
    if (l.type !== 'CONV' && l.type !== 'FC') return null;
    const w = weights[k++];
    const need = l.kernel.n * l.kernel.ch * l.kernel.h * l.kernel.w;
    if (!w) throw new Error(`float weights: missing weights for layer ${l.name}`);
    if (w.length !== need) throw new Error(`float weights: layer ${l.name} has ${w.length} weights, expected ${need}`);
    return w;
  });
  if (k !== weights.length) throw new Error(`float weights: ${weights.length} arrays for ${k} CONV/FC layers`);
  return out;
}

function floatLayer(layer: Layer, w: Float32Array | null, pool: PoolKind, x: Float64Array): Float64Array {
  const W = layer.ifm.w, C = layer.ifm.ch;
  const KH = layer.kernel.h, KW = layer.kernel.w, S = layer.stride;
  const OH = layer.ofm.h, OW = layer.ofm.w;
  const out = new Float64Array(fmElements(layer.ofm));
  if (layer.type === 'CONV' || layer.type === 'FC') {
    if (!w) throw new Error(`layer ${layer.name}: missing weights`);
    const M = layer.kernel.n, rowLen = KW * C;
    const acc = new Float64Array(M);
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
            for (let m = 0; m < M; m++) acc[m] = acc[m]! + xv * w[wb + m]!;
          }
        }
        for (let m = 0; m < M; m++) out[o++] = acc[m]!;
      }
    }
  } else if (layer.type === 'GAVGPOOL') {
    const n = layer.ifm.h * layer.ifm.w;
    for (let ch = 0; ch < C; ch++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[i * C + ch]!;
      out[ch] = sum / n;
    }
  } else {
    let o = 0;
    for (let r = 0; r < OH; r++) {
      for (let c = 0; c < OW; c++) {
        for (let ch = 0; ch < C; ch++) {
          let best = -Infinity, sum = 0;
          for (let kh = 0; kh < KH; kh++) {
            for (let kw = 0; kw < KW; kw++) {
              const v = x[((r * S + kh) * W + (c * S + kw)) * C + ch]!;
              if (v > best) best = v;
              sum += v;
            }
          }
          out[o++] = pool === 'max' ? best : sum / (KH * KW);
        }
      }
    }
  }
  if (layer.relu) for (let i = 0; i < out.length; i++) if (out[i]! < 0) out[i] = 0;
  return out;
}

/** Runs the float network on one input (HWC); returns every layer's output (the last is the logits). */
export function floatForward(net: Network, weights: FloatWeights, input: ArrayLike<number>, opts: FloatForwardOptions = {}): Float64Array[] {
  const per = layerWeights(net, weights);
  let x: Float64Array = Float64Array.from(input);
  const acts: Float64Array[] = [];
  net.layers.forEach((l, i) => {
    x = floatLayer(l, per[i] ?? null, opts.pool?.[l.name] ?? 'max', x);
    acts.push(x);
  });
  return acts;
}

/** Largest |value| of the input and of every layer's output over `count` samples (calibration ranges). */
export function activationRanges(net: Network, weights: FloatWeights, x: Float32Array, count: number, opts: FloatForwardOptions = {}):
  { input_max_abs: number; layer_max_abs: number[] } {
  const n = net.input[0] * net.input[1] * net.input[2];
  if (count <= 0 || x.length < count * n) throw new Error(`calibration: ${x.length} values for ${count} samples of ${n}`);
  let inMax = 0;
  const layerMax = net.layers.map(() => 0);
  for (let s = 0; s < count; s++) {
    const sample = x.subarray(s * n, (s + 1) * n);
    for (let i = 0; i < n; i++) inMax = Math.max(inMax, Math.abs(sample[i]!));
    const acts = floatForward(net, weights, sample, opts);
    acts.forEach((a, li) => {
      let m = layerMax[li]!;
      for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]!); if (v > m) m = v; }
      layerMax[li] = m;
    });
  }
  return { input_max_abs: inMax, layer_max_abs: layerMax };
}
