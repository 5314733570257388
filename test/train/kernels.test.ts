// The project's wasm gradient kernels (Conv2DBackpropFilter, Conv2DBackpropInput) against tfjs's pure-JS cpu
// backend, kernel by kernel and through whole-model gradients of each family. Inputs come from a seeded RNG.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { buildModel, initBackend, logitsModel } from '../../src/train/index.ts';
import { setPatchChunkFloats } from '../../src/train/wasm_kernels.ts';
import { buildNetwork, type Network } from '../../src/network/index.ts';
import { createRng, DEFAULT_SETTINGS, type SearchSpaceSettings } from '../../src/settings/index.ts';

function randomArray(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.next() * 2 - 1;
  return a;
}

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** Max |a − b| relative to max |b| (so the tolerance does not depend on the magnitude of the sums). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).to.equal(b.length);
  let d = 0, m = 1e-12;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
    m = Math.max(m, Math.abs(b[i] as number));
  }
  return d / m;
}

async function on<T>(backend: 'cpu' | 'wasm', f: () => T): Promise<T> {
  const r = await initBackend(backend);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  expect(tf.getBackend()).to.equal(backend);
  return f();
}

interface ConvCase { x: [number, number, number, number]; f: [number, number, number, number]; strides: number; pad: 'valid' | 'same' }
const CASES: ConvCase[] = [
  { x: [4, 12, 12, 3], f: [3, 3, 3, 5], strides: 1, pad: 'valid' }, // conv2d (stride-1 XNNPACK path)
  { x: [3, 1, 20, 6], f: [1, 5, 6, 4], strides: 1, pad: 'valid' }, // conv1d as tfjs runs it: [N, 1, W, C] * [1, k, C, M]
  { x: [2, 9, 9, 2], f: [1, 1, 2, 3], strides: 1, pad: 'valid' }, // 1×1 kernel
  { x: [2, 11, 10, 3], f: [3, 4, 3, 2], strides: 2, pad: 'same' }, // general path: stride and padding
  { x: [5, 9, 9, 1], f: [7, 7, 1, 3], strides: 1, pad: 'same' }, // padding wider than half the input
];

describe('train/wasm kernels vs cpu', function () {
  this.timeout(60000);

  for (const c of CASES) {
    it(`Conv2DBackpropFilter x${c.x.join('x')} f${c.f.join('x')} s${c.strides} ${c.pad}`, async () => {
      const [N, H, W] = c.x;
      const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, 1, c.pad);
      const dyShape = [N, info.outHeight, info.outWidth, c.f[3]];
      const x = randomArray(size(c.x), 1), dy = randomArray(size(dyShape), 2);
      expect(H * W).to.be.greaterThan(0);
      const run = (): Float32Array => tf.tidy(() => (tf.engine().runKernel(tf.Conv2DBackpropFilter,
        { x: tf.tensor(x, c.x), dy: tf.tensor(dy, dyShape) },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync() as Float32Array);
      const ref = await on('cpu', run);
      const got = await on('wasm', run);
      expect(relErr(got, ref)).to.be.lessThan(1e-5);
    });
    it(`Conv2DBackpropInput x${c.x.join('x')} f${c.f.join('x')} s${c.strides} ${c.pad}`, async () => {
      const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, 1, c.pad);
      const dyShape = [c.x[0], info.outHeight, info.outWidth, c.f[3]];
      const w = randomArray(size(c.f), 3), dy = randomArray(size(dyShape), 4);
      const run = (): Float32Array => tf.tidy(() => (tf.engine().runKernel(tf.Conv2DBackpropInput,
        { dy: tf.tensor(dy, dyShape), filter: tf.tensor(w, c.f) },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync() as Float32Array);
      const ref = await on('cpu', run);
      const got = await on('wasm', run);
      expect(relErr(got, ref)).to.be.lessThan(1e-5);
    });
  }

  it('dW split into chunks of samples (patch product) matches cpu', async () => {
    // Stride 2 takes the patch path; a 300-float chunk holds 2 samples of 5×5 outputs × 5 patch rows, so the 7
    // samples take 4 chunks (the last one partial).
    const xs: [number, number, number, number] = [7, 10, 10, 5], fs: [number, number, number, number] = [1, 1, 5, 3];
    const dyShape = [7, 5, 5, 3];
    const x = randomArray(size(xs), 5), dy = randomArray(size(dyShape), 6);
    const run = (): Float32Array => tf.tidy(() => (tf.engine().runKernel(tf.Conv2DBackpropFilter,
      { x: tf.tensor(x, xs), dy: tf.tensor(dy, dyShape) },
      { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: fs } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync() as Float32Array);
    const ref = await on('cpu', run);
    const old = setPatchChunkFloats(300);
    try {
      const got = await on('wasm', run);
      expect(relErr(got, ref)).to.be.lessThan(1e-5);
    } finally {
      setPatchChunkFloats(old);
    }
  });

  const spaces: Record<string, { space: SearchSpaceSettings; arch: number[] }> = {
    conv2d: { space: { ...DEFAULT_SETTINGS.search_space, layers: 2, input_shape: [12, 12, 3] }, arch: [3, 4, 5, 8] },
    conv1d: { space: { family: 'conv1d', layers: 2, kernel_sizes: [1, 3, 5, 7], filters: [4, 8, 16, 24], input_shape: [32, 1, 9], classes: 6 }, arch: [5, 8, 3, 4] },
    fc: { space: { family: 'fc', layers: 2, kernel_sizes: [], filters: [48, 64, 96, 128], input_shape: [50, 1, 1], classes: 12 }, arch: [64, 48] },
  };
  for (const [family, { space, arch }] of Object.entries(spaces)) {
    it(`whole-model gradients of a ${family} network match cpu`, async () => {
      const built = buildNetwork(arch, space);
      if (!built.ok) throw new Error(JSON.stringify(built.issues));
      const net: Network = built.value;
      const n = 8;
      const x = randomArray(n * size(space.input_shape), 7);
      const labels = Array.from({ length: n }, (_, i) => i % space.classes);
      const grads = (): Float32Array[] => {
        const model = buildModel(net, { seed: 3 });
        const logits = logitsModel(model);
        const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
        const { grads: g } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(
          tf.oneHot(tf.tensor1d(labels, 'int32'), space.classes), logits.apply(tf.tensor(x, [n, ...space.input_shape])) as tf.Tensor) as tf.Scalar, vars);
        const out = vars.map((v) => (g[v.name] as tf.Tensor).dataSync() as Float32Array);
        model.dispose();
        return out;
      };
      const ref = await on('cpu', grads);
      const got = await on('wasm', grads);
      expect(got.length).to.equal(ref.length);
      got.forEach((g, i) => expect(relErr(g, ref[i] as Float32Array), `weights ${i}`).to.be.lessThan(1e-4));
    });
  }
});
