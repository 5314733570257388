/**
 * Fault-campaign throughput: injected runs per minute on a KWS-size model (FC 250 → 96 → 128 → 48 → 48 → 12, seeded
 * random weights quantized to Q15), one fault pattern per run evaluated on 10 inputs, TS engine, in one thread and on
 * both cores. Target: ≥ 10 000 runs/min for the TS engine.
 */
import { buildNetwork, layerWeightCount } from '../../src/network/index.ts';
import { createRng } from '../../src/settings/index.ts';
import { quantizeInput, quantizeModel } from '../../src/quant/index.ts';
import { parseFaultSpec, runTsCampaign } from '../../src/faults/index.ts';
import { summarize as stats } from '../bench_stats.ts';

export async function run(): Promise<void> {
  const units = [96, 128, 48, 48];
  const net = buildNetwork(units, { family: 'fc', layers: 4, kernel_sizes: [], filters: [48, 64, 96, 128], input_shape: [250, 1, 1], classes: 12 });
  if (!net.ok) throw new Error('net');
  const rng = createRng(3);
  const weights = net.value.layers.filter((l) => l.type === 'FC').map((l) => {
    const w = new Float32Array(layerWeightCount(l));
    for (let i = 0; i < w.length; i++) w[i] = rng.normal() * Math.sqrt(2 / (l.kernel.ch * l.kernel.h));
    return w;
  });
  const K = 10;
  const x = new Float32Array(K * 250);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const q = quantizeModel(net.value, weights, x);
  const inputs = Array.from({ length: K }, (_, i) => quantizeInput(x.subarray(i * 250, (i + 1) * 250), q.input_frac));
  const labels = new Int32Array(K);
  const cases = [['bitflip weights ber 1e-4', { ber: '1e-4' }], ['bitflip weights count 1', { count: '1' }], ['activations count 1', { target: 'activations', count: '1' }]] as const;
  for (const [name, input] of cases) {
    const spec = parseFaultSpec(input);
    if (!spec.ok) throw new Error('spec');
    for (const workers of [0, 2]) {
      const runs = workers ? 8000 : 2000;
      const perMin: number[] = [];
      for (let rep = 0; rep < 2; rep++) {
        const r = await runTsCampaign(q, inputs, labels, { spec: spec.value, seed: rep, runs, workers });
        if (!r.ok) throw new Error('campaign');
        perMin.push(r.value.runs_per_min);
      }
      const s = stats(perMin);
      console.log(`${name.padEnd(26)} ${workers ? '2 workers' : '1 thread '}: runs/min min ${s.min.toFixed(0)} median ${s.median.toFixed(0)} (${runs} runs x ${K} inferences, incl. worker start-up)`);
    }
  }
}
