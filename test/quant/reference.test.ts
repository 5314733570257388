// The integer reference against a BigInt oracle written from Q15.md, and against a float forward pass.
import { expect } from 'chai';
import { buildNetwork, type Layer, type Network } from '../../src/network/index.ts';
import {
  dequantizeLogits, floatForward, MAX_ABS_WEIGHT_SUM, weightFracFor, quantizeInput, quantizeModel, referenceInference,
  type QModel, type QModelLayer,
} from '../../src/quant/index.ts';
import { createRng, DEFAULT_SETTINGS, type Family, type Rng } from '../../src/settings/index.ts';
import { oReference } from './oracle.ts';

const SEED = 11;

function net(family: Family, arch: number[], input: [number, number, number], classes = 5): Network {
  const r = buildNetwork(arch, { ...DEFAULT_SETTINGS.search_space, family, layers: family === 'fc' ? arch.length : arch.length / 2, input_shape: input, classes },
    { strictChoices: false });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** A hand-built net with max and average POOL layers (stride 2 and 1) that the search spaces do not produce. */
function poolNet(): Network {
  const d = (ch: number, h: number, w: number) => ({ n: 1, ch, h, w });
  const layers: Layer[] = [
    { index: 0, name: 'CONV_0', type: 'CONV', stride: 1, kernel: { n: 4, ch: 2, h: 3, w: 3 }, ifm: d(2, 9, 9), ofm: d(4, 7, 7), relu: true },
    { index: 1, name: 'POOL_0', type: 'POOL', stride: 2, kernel: { n: 4, ch: 4, h: 2, w: 2 }, ifm: d(4, 7, 7), ofm: d(4, 3, 3), relu: false },
    { index: 2, name: 'CONV_1', type: 'CONV', stride: 1, kernel: { n: 3, ch: 4, h: 2, w: 2 }, ifm: d(4, 3, 3), ofm: d(3, 2, 2), relu: false },
    { index: 3, name: 'POOL_1', type: 'POOL', stride: 1, kernel: { n: 3, ch: 3, h: 2, w: 1 }, ifm: d(3, 2, 2), ofm: d(3, 1, 2), relu: false },
    { index: 4, name: 'FC_END', type: 'FC', stride: 1, kernel: { n: 4, ch: 3, h: 1, w: 2 }, ifm: d(3, 1, 2), ofm: d(4, 1, 1), relu: false },
  ];
  return { family: 'conv2d', arch: [], input: [9, 9, 2], classes: 4, layers };
}

function randInt16(rng: Rng, n: number, big: boolean): Int16Array {
  return Int16Array.from({ length: n }, () => (big ? rng.int(65536) - 32768 : rng.int(4001) - 2000));
}

/** A QModel with random int16 weights and shifts (large values make accumulators wrap). */
function randomQModel(rng: Rng, n: Network, big: boolean, pools: Record<string, 'max' | 'avg'> = {}): QModel {
  let off = 0;
  const layers: QModelLayer[] = n.layers.map((l) => {
    const count = l.type === 'CONV' || l.type === 'FC' ? l.kernel.n * l.kernel.ch * l.kernel.h * l.kernel.w : 0;
    const ql: QModelLayer = {
      name: l.name, type: l.type, relu: l.relu, in_frac: 0, w_frac: 0, out_frac: 0,
      shift: count ? rng.int(47) - 15 : 0, weight_bits: 16, weights_offset_bytes: off, weights_count: count,
      weights: count ? randInt16(rng, count, big) : null,
      ...(l.type === 'POOL' ? { pool: pools[l.name] ?? 'max' } : {}),
    };
    off += 2 * count;
    return ql;
  });
  return { net: n, input_frac: 0, layers };
}

const NETS: [string, () => Network][] = [
  ['conv2d', () => net('conv2d', [3, 4, 2, 3], [8, 7, 2])],
  ['conv2d k1', () => net('conv2d', [1, 3, 3, 2], [6, 6, 3])],
  ['conv1d', () => net('conv1d', [5, 4, 3, 6], [20, 1, 3])],
  ['fc', () => net('fc', [7, 5], [12, 1, 1])],
  ['fc on an image', () => net('fc', [6], [5, 4, 2])],
  ['pool', poolNet],
];

describe('quant/reference', () => {
  for (const [name, make] of NETS) {
    it(`${name}: every layer equals the BigInt oracle bit for bit, with and without wrapping (seed ${SEED})`, () => {
      const rng = createRng(SEED);
      const n = make();
      for (let t = 0; t < 12; t++) {
        const big = t % 2 === 0;
        const q = randomQModel(rng, n, big, { POOL_0: 'max', POOL_1: t % 3 ? 'avg' : 'max' });
        const [H, W, C] = n.input;
        const input = randInt16(rng, H * W * C, big);
        const r = referenceInference(q, input, { trace: true });
        const oracle = oReference(n.layers, q.layers, input);
        r.activations!.forEach((a, i) => expect(Array.from(a), `${name} trial ${t} layer ${n.layers[i]!.name}`).to.deep.equal(oracle[i]));
        expect(Array.from(r.logits)).to.deep.equal(oracle[oracle.length - 1]);
        const logits = oracle[oracle.length - 1]!;
        expect(r.class).to.equal(logits.indexOf(Math.max(...logits)));
      }
    });
  }

  it('a wrapped accumulator gives the spec value: 3 · (−32768)² = 3·2^30 ≡ −2^30 (mod 2^32) → requant(−2^30, 15) = −32768', () => {
    const n = net('fc', [2], [3, 1, 1], 2);
    const q = randomQModel(createRng(1), n, false);
    const fc0 = { ...q.layers[0]!, relu: false, shift: 15, weights: new Int16Array(6).fill(-32768) };
    const fcEnd = { ...q.layers[1]!, shift: 0, weights: Int16Array.from([1, 0, 0, 1]) };
    const r = referenceInference({ ...q, layers: [fc0, fcEnd] }, Int16Array.from([-32768, -32768, -32768]), { trace: true });
    expect(Array.from(r.activations![0]!)).to.deep.equal([-32768, -32768]);
  });

  it('onLayer can modify activations in place and later layers see it (activation fault injection)', () => {
    const n = net('fc', [4], [3, 1, 1], 2);
    const q = randomQModel(createRng(2), n, false);
    const input = Int16Array.from([100, 200, 300]);
    const clean = referenceInference(q, input, { trace: true });
    const hit = referenceInference(q, input, { trace: true, onLayer: (i, out) => { if (i === 0) out.fill(0); } });
    expect(Array.from(hit.activations![0]!)).to.deep.equal([0, 0, 0, 0]);
    expect(Array.from(hit.logits)).to.deep.equal([0, 0]);
    expect(Array.from(clean.logits)).to.not.deep.equal([0, 0]);
  });

  for (const family of ['conv2d', 'conv1d', 'fc'] as const) {
    for (const bits of [16, 8] as const) {
      it(`${family}, ${bits}-bit weights: quantized logits are within quantization error of the float forward pass (seed ${SEED})`, () => {
        const rng = createRng(SEED + bits);
        const n = family === 'conv2d' ? net('conv2d', [3, 6, 3, 8], [10, 10, 2], 6)
          : family === 'conv1d' ? net('conv1d', [5, 8, 3, 8], [30, 1, 3], 6) : net('fc', [16, 12], [20, 1, 1], 6);
        const weights = n.layers.filter((l) => l.type === 'CONV' || l.type === 'FC').map((l) => {
          const fanIn = l.kernel.ch * l.kernel.h * l.kernel.w;
          return Float32Array.from({ length: fanIn * l.kernel.n }, () => rng.normal() * Math.sqrt(2 / fanIn));
        });
        const size = n.input[0] * n.input[1] * n.input[2];
        const cal = Float32Array.from({ length: 64 * size }, () => rng.next());
        const q = quantizeModel(n, weights, cal, { weightBits: bits });
        for (const l of q.layers) {
          if (!l.weights) continue;
          const sums = new Float64Array(n.layers.find((x) => x.name === l.name)!.kernel.n);
          l.weights.forEach((v, i) => { sums[i % sums.length] = (sums[i % sums.length] ?? 0) + Math.abs(v); });
          expect(Math.max(...sums), `${l.name} Σ|w|`).to.be.at.most(MAX_ABS_WEIGHT_SUM);
          // the scale random bit error training flips at is the deployed one
          const li = q.layers.filter((x) => x.weights).indexOf(l);
          expect(weightFracFor(weights[li]!, sums.length, bits), `${l.name} w_frac`).to.equal(l.w_frac);
          expect(l.shift).to.be.within(-15, 31);
        }
        let agree = 0, maxErr = 0, maxLogit = 0;
        const trials = 40;
        for (let t = 0; t < trials; t++) {
          const x = cal.subarray(t * size, (t + 1) * size);
          const fl = floatForward(n, weights, x).at(-1)!;
          const r = referenceInference(q, quantizeInput(x, q.input_frac));
          const ql = dequantizeLogits(q, r.logits);
          fl.forEach((v, i) => { maxErr = Math.max(maxErr, Math.abs(v - ql[i]!)); maxLogit = Math.max(maxLogit, Math.abs(v)); });
          if (r.class === fl.indexOf(Math.max(...fl))) agree++;
        }
        const tol = bits === 16 ? 0.002 : 0.08;
        expect(maxErr / maxLogit, `max |float − q15| relative to the largest logit (${maxErr} / ${maxLogit})`).to.be.below(tol);
        expect(agree / trials).to.be.at.least(bits === 16 ? 0.95 : 0.85);
      });
    }
  }
});
