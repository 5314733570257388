/**
 * tfjs layers models built from the layer IR (reference §3.2): conv2d / conv1d / fc families, stride 1, valid
 * padding, no bias, ReLU, global average pooling, a bias-free dense head with softmax. Layer names are the IR's
 * (CONV_i, FC_i, GAVGPOOL_0, FC_END), so weights map one to one onto the IR. Kernels are glorot-uniform with a
 * seed derived from the model seed and the layer index, so the same seed gives the same initial weights.
 */
import * as tf from '@tensorflow/tfjs';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import { layerMacs, layerWeightCount, networkStats, type Layer, type Network } from '../network/index.ts';

/** Name of the softmax layer after FC_END. */
export const SOFTMAX_LAYER = 'softmax';

function layerSeed(seed: number, index: number): number {
  // tfjs seeds are used as numbers by its alea PRNG; keep them positive integers that differ per layer.
  return ((seed >>> 0) * 1009 + 7919 * (index + 1)) % 2147483647;
}

function kernelInit(seed: number, index: number): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: layerSeed(seed, index) });
}

/**
 * Builds a tfjs model for a network of the IR. Input shape is the network's [H, W, C]; conv1d networks see their
 * input as [steps, channels] (W must be 1), fc networks flatten it. Output: class probabilities (softmax).
 */
export function buildModel(net: Network, opts: { seed: number }): tf.LayersModel {
  const [H, W, C] = net.input;
  const input = tf.input({ shape: [H, W, C], name: 'input' });
  let x: tf.SymbolicTensor = input;
  if (net.family === 'conv1d') {
    if (W !== 1) throw new Error(`conv1d network needs input width 1, got [${H}, ${W}, ${C}]`);
    x = tf.layers.reshape({ targetShape: [H, C], name: 'to_1d' }).apply(x) as tf.SymbolicTensor;
  } else if (net.family === 'fc') {
    x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  }
  for (const l of net.layers) {
    x = applyLayer(net, l, x, opts.seed);
  }
  const out = tf.layers.activation({ activation: 'softmax', name: SOFTMAX_LAYER }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: `inas_${net.family}_${net.arch.join('_')}` });
}

function applyLayer(net: Network, l: Layer, x: tf.SymbolicTensor, seed: number): tf.SymbolicTensor {
  const activation = l.relu ? 'relu' : 'linear';
  switch (l.type) {
    case 'CONV':
      if (net.family === 'conv1d') {
        return tf.layers.conv1d({
          name: l.name, filters: l.kernel.n, kernelSize: l.kernel.h, strides: 1, padding: 'valid', useBias: false,
          activation, kernelInitializer: kernelInit(seed, l.index),
        }).apply(x) as tf.SymbolicTensor;
      }
      return tf.layers.conv2d({
        name: l.name, filters: l.kernel.n, kernelSize: [l.kernel.h, l.kernel.w], strides: 1, padding: 'valid',
        useBias: false, activation, kernelInitializer: kernelInit(seed, l.index),
      }).apply(x) as tf.SymbolicTensor;
    case 'GAVGPOOL':
      return (net.family === 'conv1d'
        ? tf.layers.globalAveragePooling1d({ name: l.name })
        : tf.layers.globalAveragePooling2d({ name: l.name, dataFormat: 'channelsLast' })).apply(x) as tf.SymbolicTensor;
    case 'FC':
      return tf.layers.dense({
        name: l.name, units: l.kernel.n, useBias: false, activation, kernelInitializer: kernelInit(seed, l.index),
      }).apply(x) as tf.SymbolicTensor;
    case 'POOL':
      throw new Error(`layer ${l.name}: POOL layers are not produced by the search spaces of §3.2`);
  }
}

/** Per-layer and total parameters and MACs of a network (no biases; GAP counted as one add per input element). */
export interface ModelSummary {
  readonly params: number;
  readonly macs: number;
  readonly layers: readonly { name: string; type: string; params: number; macs: number; output_shape: [number, number, number] }[];
}

/** Parameters and MACs of a network, from the IR (the model built by buildModel has exactly these parameters). */
export function summarizeNetwork(net: Network): ModelSummary {
  const s = networkStats(net);
  return {
    params: s.params,
    macs: s.macs,
    layers: net.layers.map((l) => ({ name: l.name, type: l.type, params: layerWeightCount(l), macs: layerMacs(l),
      output_shape: [l.ofm.h, l.ofm.w, l.ofm.ch] as [number, number, number] })),
  };
}

/** The weighted layers of the IR (CONV and FC) in network order. */
function weightedLayers(net: Network): Layer[] {
  return net.layers.filter((l) => l.type === 'CONV' || l.type === 'FC');
}

/**
 * The kernel of each CONV/FC layer of the IR, in canonical tfjs order (firmware/Q15.md): CONV2D [kh][kw][n][m],
 * CONV1D [k][n][m], FC [in][out] with `in` the flattened HWC input. Copies (safe to keep after the model is gone).
 */
export function extractWeights(model: tf.LayersModel, net: Network): Float32Array[] {
  return weightedLayers(net).map((l) => {
    const w = model.getLayer(l.name).getWeights();
    const k = w[0];
    if (!k || w.length !== 1) throw new Error(`layer ${l.name}: expected exactly one kernel tensor, got ${w.length}`);
    const data = k.dataSync();
    return new Float32Array(data);
  });
}

/** Sets the kernels of each CONV/FC layer (same order and layout as extractWeights). */
export function setWeights(model: tf.LayersModel, net: Network, weights: readonly Float32Array[]): Result<void> {
  const layers = weightedLayers(net);
  if (weights.length !== layers.length) {
    return fail(issue('invalid_value', 'weights', `expected ${layers.length} weight arrays (one per CONV/FC layer), got ${weights.length}`,
      { expected: layers.length, actual: weights.length }));
  }
  const issues = layers.flatMap((l, i) => {
    const n = layerWeightCount(l);
    const got = weights[i]?.length ?? 0;
    return got === n ? [] : [issue('invalid_value', `weights[${i}]`, `layer ${l.name} needs ${n} weights, got ${got}`, { expected: n, actual: got })];
  });
  if (issues.length) return fail(...issues);
  layers.forEach((l, i) => {
    const layer = model.getLayer(l.name);
    const shape = layer.getWeights()[0]?.shape ?? [];
    const t = tf.tensor(weights[i] as Float32Array, shape, 'float32');
    layer.setWeights([t]);
    t.dispose();
  });
  return ok(undefined);
}
