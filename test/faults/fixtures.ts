// A small quantized model for fault tests: a KWS-like FC net with seeded random float weights, quantized by src/quant.
import { buildNetwork, layerWeightCount } from '../../src/network/index.ts';
import { createRng } from '../../src/settings/index.ts';
import { quantizeInput, quantizeModel, referenceInference, type QModel } from '../../src/quant/index.ts';

export function smallModel(seed = 7, opts: { units?: number[]; features?: number; samples?: number } = {}): { q: QModel; inputs: Int16Array[]; labels: Int32Array } {
  const units = opts.units ?? [32, 24];
  const features = opts.features ?? 40;
  const net = buildNetwork(units, { family: 'fc', layers: units.length, kernel_sizes: [], filters: units, input_shape: [features, 1, 1], classes: 6 });
  if (!net.ok) throw new Error('net');
  const rng = createRng(seed);
  const weights = net.value.layers.filter((l) => l.type === 'FC').map((l) => {
    const w = new Float32Array(layerWeightCount(l));
    const scale = Math.sqrt(2 / (l.kernel.ch * l.kernel.h * l.kernel.w));
    for (let i = 0; i < w.length; i++) w[i] = rng.normal() * scale;
    return w;
  });
  const count = opts.samples ?? 24;
  const x = new Float32Array(count * features);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const q = quantizeModel(net.value, weights, x);
  const inputs: Int16Array[] = [];
  const labels = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const input = quantizeInput(x.subarray(s * features, (s + 1) * features), q.input_frac);
    inputs.push(input);
    // Labels: the clean prediction for most inputs, a different class for every 4th (so clean accuracy is 0.75).
    const cls = referenceInference(q, input).class;
    labels[s] = s % 4 === 3 ? (cls + 1) % 6 : cls;
  }
  return { q, inputs, labels };
}
