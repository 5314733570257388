// Models built from the layer IR: shapes per family, parameter counts, seeded initialisation, weights I/O order.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { buildModel, extractWeights, initBackend, setWeights, summarizeNetwork, layerActivations } from '../../src/train/index.ts';
import { buildNetwork, networkStats, type Network } from '../../src/network/index.ts';
import { DEFAULT_SETTINGS, type SearchSpaceSettings } from '../../src/settings/index.ts';

const cifar: SearchSpaceSettings = DEFAULT_SETTINGS.search_space;
const har: SearchSpaceSettings = { family: 'conv1d', layers: 3, kernel_sizes: [1, 3, 5, 7], filters: [4, 8, 16, 24], input_shape: [128, 1, 9], classes: 6 };
const kws: SearchSpaceSettings = { family: 'fc', layers: 4, kernel_sizes: [], filters: [48, 64, 96, 128], input_shape: [250, 1, 1], classes: 12 };

function net(arch: number[], space: SearchSpaceSettings): Network {
  const r = buildNetwork(arch, space);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const CASES: [string, Network][] = [
  ['conv2d (cifar)', net([5, 4, 3, 16, 7, 16, 7, 24, 7, 24], cifar)],
  ['conv1d (har)', net([5, 8, 3, 24, 5, 16], har)],
  ['fc (kws)', net([128, 64, 96, 48], kws)],
];

describe('train/model', function () {
  this.timeout(30000);
  before(async () => {
    const r = await initBackend('wasm');
    expect(r.ok && r.value.backend).to.equal('wasm');
  });

  for (const [name, n] of CASES) {
    it(`${name}: every IR layer's output shape and parameter count match the model`, () => {
      const model = buildModel(n, { seed: 1 });
      for (const l of n.layers) {
        const shape = model.getLayer(l.name).outputShape as (number | null)[];
        const expected = l.type === 'GAVGPOOL' || n.family === 'fc' || l.name === 'FC_END' ? [null, l.ofm.ch]
          : n.family === 'conv1d' ? [null, l.ofm.h, l.ofm.ch] : [null, l.ofm.h, l.ofm.w, l.ofm.ch];
        expect(shape, l.name).to.deep.equal(expected);
      }
      expect(model.countParams()).to.equal(networkStats(n).params);
      const s = summarizeNetwork(n);
      expect(s.params).to.equal(model.countParams());
      expect(s.layers.map((l) => l.name)).to.deep.equal(n.layers.map((l) => l.name));
      expect(model.outputs[0]?.shape).to.deep.equal([null, n.classes]);
      // The output is a probability distribution.
      const p = tf.tidy(() => (model.predict(tf.ones([2, ...n.input])) as tf.Tensor).sum(1).dataSync());
      expect(Math.abs((p[0] ?? 0) - 1)).to.be.lessThan(1e-5);
      model.dispose();
    });
  }

  it('the same seed gives the same initial weights, another seed different ones', () => {
    const n = CASES[0]![1];
    const a = extractWeights(buildModel(n, { seed: 7 }), n);
    const b = extractWeights(buildModel(n, { seed: 7 }), n);
    const c = extractWeights(buildModel(n, { seed: 8 }), n);
    expect(a).to.deep.equal(b);
    expect(a[0]).to.not.deep.equal(c[0]);
    // glorot uniform: |w| ≤ sqrt(6 / (fan_in + fan_out)) for CONV_0 (5×5×3 in, 5×5×4 out)
    const limit = Math.sqrt(6 / (5 * 5 * 3 + 5 * 5 * 4));
    expect(Math.max(...Array.from(a[0]!, Math.abs))).to.be.at.most(limit + 1e-7);
    // layers get different seeds
    expect(a[1]!.slice(0, 10)).to.not.deep.equal(a[2]!.slice(0, 10));
  });

  it('extractWeights gives one array per CONV/FC layer in canonical tfjs order; setWeights restores them', () => {
    const n = net([3, 2, 1, 3], { ...cifar, layers: 2, filters: [2, 3], input_shape: [5, 5, 2], classes: 2 });
    const model = buildModel(n, { seed: 1 });
    const w = extractWeights(model, n);
    expect(w.map((a) => a.length)).to.deep.equal([3 * 3 * 2 * 2, 1 * 1 * 2 * 3, 3 * 2]);
    // CONV_0 [kh][kw][n][m]: w[((kh·3 + kw)·2 + n)·2 + m]. Check by convolving a one-hot input by hand.
    const x = new Float32Array(5 * 5 * 2);
    x[(1 * 5 + 2) * 2 + 1] = 1; // row 1, col 2, channel 1
    const conv0 = tf.model({ inputs: model.inputs, outputs: model.getLayer('CONV_0').output as tf.SymbolicTensor });
    const y = tf.tidy(() => (conv0.predict(tf.tensor(x, [1, 5, 5, 2])) as tf.Tensor).dataSync());
    // output (0, 0) sees the input at kh = 1, kw = 2: y[0][0][m] = relu(w[1][2][1][m])
    for (let m = 0; m < 2; m++) expect(y[m]).to.be.closeTo(Math.max(0, w[0]![((1 * 3 + 2) * 2 + 1) * 2 + m]!), 1e-6);
    const zeros = w.map((a) => new Float32Array(a.length).map((_, i) => i / 100));
    const r = setWeights(model, n, zeros);
    expect(r.ok).to.equal(true);
    expect(extractWeights(model, n)).to.deep.equal(zeros);
    const bad = setWeights(model, n, [zeros[0]!]);
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.issues[0]?.message).to.match(/expected 3 weight arrays/);
    const bad2 = setWeights(model, n, [zeros[0]!, zeros[0]!, zeros[2]!]);
    if (bad2.ok) throw new Error('accepted wrong sizes');
    expect(bad2.issues[0]?.message).to.match(/CONV_1 needs 6 weights, got 36/);
  });

  it('layerActivations gives each IR layer\'s output (GAP = mean of the last conv output)', () => {
    const n = net([3, 4, 3, 8], { ...cifar, layers: 2, input_shape: [8, 8, 1], classes: 3 });
    const model = buildModel(n, { seed: 2 });
    const x = new Float32Array(2 * 64).map((_, i) => Math.sin(i));
    const acts = layerActivations(model, n, x, 2);
    expect(acts.map((a) => a.length)).to.deep.equal([2 * 6 * 6 * 4, 2 * 4 * 4 * 8, 2 * 8, 2 * 3]);
    const conv1 = acts[1]!, gap = acts[2]!;
    for (let c = 0; c < 8; c++) {
      let s = 0;
      for (let p = 0; p < 16; p++) s += conv1[p * 8 + c]!;
      expect(gap[c]).to.be.closeTo(s / 16, 1e-5);
    }
    expect(Math.min(...Array.from(acts[0]!))).to.be.at.least(0); // ReLU
  });
});
