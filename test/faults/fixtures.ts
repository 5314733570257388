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

import { encodeWeights, quantSection, writeSolution } from '../../src/quant/index.ts';
import { DEFAULT_SETTINGS, settingsDigest, type InasSettings } from '../../src/settings/index.ts';

/** Writes the small model as a solution folder (solution.json + weights.bin + samples.bin); returns its path. */
export function writeSmallSolution(dir: string, seed = 7): string {
  const units = [32, 24];
  const { q } = smallModel(seed);
  const rng = createRng(seed + 1);
  const count = 24, n = 40;
  const x = new Float32Array(count * n);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = new Int32Array(count);
  for (let s = 0; s < count; s++) y[s] = referenceInference(q, quantizeInput(x.subarray(s * n, (s + 1) * n), q.input_frac)).class;
  const settings: InasSettings = { ...DEFAULT_SETTINGS, search_space: { family: 'fc', layers: 2, kernel_sizes: [], filters: units, input_shape: [n, 1, 1], classes: 6 } };
  const r = writeSolution(dir, {
    schema_version: 1, kind: 'inas-solution', inas_version: '0.1.0', created_utc: new Date(0).toISOString(),
    settings_digest: settingsDigest(settings), settings, family: 'fc', arch: units, input_shape: [n, 1, 1], classes: 6,
    power: 'int', compat: 'tecs21', feasible: true,
    layers: q.net.layers.map((l) => ({ name: l.name, type: l.type, design: null, latency_s: null, energy_per_cycle_j: null, power_cycles: null, vm_bytes: null })),
    predicted: { latency_s: null, energy_j: null, power_cycles: null }, accuracy: { float: null, q15: null },
    quant: quantSection(q),
  }, encodeWeights(q), { x, y, count });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
