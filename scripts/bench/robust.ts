/**
 * Fault-aware training, measured: one MNIST architecture of settings/mnist.json trained normally and with random bit
 * error training (RandBET at p = 1 %, averaged clean + perturbed gradients) plus weight clipping (w_max = 0.1), same
 * seed and data; both quantized to Q15 and attacked with weight bit flips at BER 1e-3 and 1e-2 on the TS engine with
 * the same seeded fault patterns (common random numbers). Prints clean and robust accuracy (mean and p5 over runs).
 */
import { loadSettings, formatIssues } from '../../src/settings/index.ts';
import { buildNetwork } from '../../src/network/index.ts';
import { loadDataset } from '../../src/data/index.ts';
import { buildModel, extractWeights, initBackend, trainModel } from '../../src/train/index.ts';
import { evaluateQModel, quantizeInput, quantizeModel } from '../../src/quant/index.ts';
import { parseFaultSpec, runTsCampaign } from '../../src/faults/index.ts';

export async function run(): Promise<void> {
  const loaded = loadSettings('settings/mnist.json', { dataset: { train_subset: 3000 } });
  if (!loaded.ok) throw new Error(formatIssues(loaded.issues));
  const s = loaded.value.settings;
  const arch = [3, 8, 3, 16, 3, 16];
  const net = buildNetwork(arch, s.search_space);
  if (!net.ok) throw new Error('net');
  const be = await initBackend('auto');
  if (!be.ok) throw new Error(formatIssues(be.issues));
  const data = await loadDataset(s.dataset, { seed: 1 });
  if (!data.ok) throw new Error(formatIssues(data.issues));
  const d = data.value;
  const n = 28 * 28;
  const testCount = Math.min(300, d.test.count);
  const test = { x: d.test.x.subarray(0, testCount * n), y: d.test.y.subarray(0, testCount), count: testCount };
  console.log(`arch ${arch.join(',')} on MNIST (${d.train.count} train, ${testCount} test), backend ${be.value.backend}, 4 epochs`);
  console.log('training                     Q15 clean   BER 1e-3 mean (p5)    BER 1e-2 mean (p5)');
  for (const [name, extra] of [['normal', {}], ['RandBET p=1% + clip 0.1', { bitErrorRate: 0.01, weightClip: 0.1 }]] as const) {
    const model = buildModel(net.value, { seed: 11 });
    await trainModel(model, { train: d.train, validation: d.validation }, { epochs: 4, batchSize: 64, learningRate: 0.01, patience: 0, seed: 11, ...extra });
    const q = quantizeModel(net.value, extractWeights(model, net.value), d.train.x.subarray(0, 500 * n));
    const clean = evaluateQModel(q, test);
    const inputs = Array.from({ length: testCount }, (_, i) => quantizeInput(test.x.subarray(i * n, (i + 1) * n), q.input_frac));
    const cols: string[] = [];
    for (const ber of ['1e-3', '1e-2']) {
      const spec = parseFaultSpec({ ber });
      if (!spec.ok) throw new Error('spec');
      const r = await runTsCampaign(q, inputs, test.y, { spec: spec.value, seed: 100, runs: 30, workers: 2 });
      if (!r.ok) throw new Error(formatIssues(r.issues));
      cols.push(`${(100 * r.value.accuracy.mean).toFixed(2)}% (${(100 * r.value.accuracy.p5).toFixed(2)}%)`.padEnd(22));
    }
    model.dispose();
    console.log(`${name.padEnd(28)} ${(100 * clean).toFixed(2).padStart(6)}%    ${cols.join('')}`);
  }
}
