/**
 * Fault-aware training, measured (issue 7, Tolerance): one MNIST architecture of settings/mnist.json trained with
 * each setting of ROBUST_CONFIGS on the same data and seed, quantized, and attacked with weight bit flips at BER 1e-3
 * and 1e-2 on the TS engine with the same seeded fault patterns (common random numbers). Prints clean accuracy of the
 * quantized model and robust accuracy (mean over runs × inputs with its Wilson 95 % interval, and the p5 across runs).
 *
 * Q15 (16-bit) weights are compared, and int8 weights (`--weight-bits 8`), whose every bit is significant (the Q15
 * image's top bits are sign extension under the quantizer's no-wrap bound, so one flip there is a huge weight).
 *
 * Environment (all optional): INAS_ROBUST_EPOCHS (default 6), INAS_ROBUST_SUBSET (training digits, default 3000),
 * INAS_ROBUST_TEST (test digits attacked, default 200), INAS_ROBUST_RUNS (fault patterns per BER, default 20),
 * INAS_ROBUST_ARCH (default 3,8,3,16,3,16), INAS_ROBUST_CONFIGS (a JSON object { name: settings } replacing the
 * settings compared; keys as in settings `training` plus weight_bits, e.g. {"p1e-3":{"bit_error_rate":0.001}}),
 * INAS_ROBUST_WEIGHT_BITS (word width of configs that do not set weight_bits, default 16).
 */
import { loadSettings, formatIssues, type TrainingSettings } from '../../src/settings/index.ts';
import { buildNetwork } from '../../src/network/index.ts';
import { loadDataset } from '../../src/data/index.ts';
import { buildModel, evaluateModel, extractWeights, faultTrainingOptions, initBackend, trainModel } from '../../src/train/index.ts';
import { evaluateQModel, quantizeInput, quantizeModel, weightFracFor } from '../../src/quant/index.ts';
import { parseFaultSpec, runTsCampaign } from '../../src/faults/index.ts';

type FaultKeys = Pick<TrainingSettings, 'bit_error_rate' | 'weight_clip' | 'bit_error_ramp_epochs'> & {
  /** Training epochs of this setting (default INAS_ROBUST_EPOCHS). */
  epochs?: number;
  /** Deployed weight width (default 16 = Q15; 8 = int8, `inas train --weight-bits 8`); training flips this image. */
  weight_bits?: 16 | 8;
  /** Experiments only: "max" flips bits of a max-|w| image instead of the deployed one (the quantizer's scale). */
  flip_scale?: 'deploy' | 'max';
};

/**
 * The settings compared by default, as measured for the README: Q15 normal vs RandBET at p = 1e-4 (6 epochs), and
 * int8 normal vs RandBET at p = 1e-3 (12 epochs), p ramped up over the first 2 epochs.
 */
export const ROBUST_CONFIGS: Record<string, Partial<FaultKeys>> = {
  'Q15, normal': {},
  'Q15, RandBET p=1e-4 ramp 2': { bit_error_rate: 1e-4, bit_error_ramp_epochs: 2 },
  'int8, normal': { weight_bits: 8, epochs: 12 },
  'int8, RandBET p=1e-3 ramp 2': { weight_bits: 8, epochs: 12, bit_error_rate: 1e-3, bit_error_ramp_epochs: 2 },
};

const num = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v !== undefined && v !== '' ? Number(v) : dflt;
};

export async function run(): Promise<void> {
  const epochs = num('INAS_ROBUST_EPOCHS', 6);
  const subset = num('INAS_ROBUST_SUBSET', 3000);
  const runs = num('INAS_ROBUST_RUNS', 20);
  const configs = process.env['INAS_ROBUST_CONFIGS'] ? JSON.parse(process.env['INAS_ROBUST_CONFIGS']) as Record<string, Partial<FaultKeys>> : ROBUST_CONFIGS;
  const defaultBits = num('INAS_ROBUST_WEIGHT_BITS', 16) === 8 ? 8 : 16;
  const arch = (process.env['INAS_ROBUST_ARCH'] ?? '3,8,3,16,3,16').split(',').map(Number);
  const loaded = loadSettings('settings/mnist.json', { dataset: { train_subset: subset } });
  if (!loaded.ok) throw new Error(formatIssues(loaded.issues));
  const s = loaded.value.settings;
  const net = buildNetwork(arch, s.search_space);
  if (!net.ok) throw new Error(formatIssues(net.issues));
  const be = await initBackend('auto');
  if (!be.ok) throw new Error(formatIssues(be.issues));
  const data = await loadDataset(s.dataset, { seed: 1 });
  if (!data.ok) throw new Error(formatIssues(data.issues));
  const d = data.value;
  const n = 28 * 28;
  const testCount = Math.min(num('INAS_ROBUST_TEST', 200), d.test.count);
  const test = { x: d.test.x.subarray(0, testCount * n), y: d.test.y.subarray(0, testCount), count: testCount };
  const inputsFor = (frac: number): Int16Array[] => Array.from({ length: testCount }, (_, i) => quantizeInput(test.x.subarray(i * n, (i + 1) * n), frac));
  console.log(`arch ${arch.join(',')} on MNIST (${d.train.count} train, ${d.validation.count} validation, ${testCount} test digits attacked), ` +
    `backend ${be.value.backend}, ${epochs} epochs unless a setting says otherwise, batch 64, lr ${s.training.learning_rate}; ${runs} weight bit-flip patterns per BER (same seeds for every model)`);
  console.log('deployment, training             | float  | clean     | BER 1e-3 mean [95% CI] (p5)    | BER 1e-2 mean [95% CI] (p5)    | train s');
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  for (const [name, cfg] of Object.entries(configs)) {
    const bits = cfg.weight_bits ?? defaultBits;
    const cfgEpochs = cfg.epochs ?? epochs;
    const { bit_error_rate = 0, weight_clip = 0, bit_error_ramp_epochs = 0 } = cfg;
    const training: TrainingSettings = { ...s.training, bit_error_rate, weight_clip, bit_error_ramp_epochs };
    const model = buildModel(net.value, { seed: 11 });
    const t0 = performance.now();
    await trainModel(model, { train: d.train, validation: d.validation }, {
      epochs: cfgEpochs, batchSize: 64, learningRate: s.training.learning_rate, patience: 0, seed: 11,
      ...faultTrainingOptions(training, cfg.flip_scale === 'max' ? undefined : weightFracFor, bits),
    });
    const trainS = (performance.now() - t0) / 1000;
    const floatAcc = await evaluateModel(model, test);
    const q = quantizeModel(net.value, extractWeights(model, net.value), d.train.x.subarray(0, 500 * n), { weightBits: bits });
    model.dispose();
    const clean = evaluateQModel(q, test);
    const inputs = inputsFor(q.input_frac);
    const cols: string[] = [];
    for (const ber of ['1e-3', '1e-2']) {
      const spec = parseFaultSpec({ ber });
      if (!spec.ok) throw new Error(formatIssues(spec.issues));
      const r = await runTsCampaign(q, inputs, test.y, { spec: spec.value, seed: 100, runs, workers: 2 });
      if (!r.ok) throw new Error(formatIssues(r.issues));
      const a = r.value.accuracy;
      cols.push(`${pct(a.mean)} [${pct(a.ci95[0])}, ${pct(a.ci95[1])}] (${pct(a.p5)})`.padEnd(30));
    }
    console.log(`${`${name} (${cfgEpochs} ep)`.padEnd(32)} | ${pct(floatAcc).padStart(6)} | ${pct(clean).padStart(9)} | ${cols.join(' | ')} | ${trainS.toFixed(0)}`);
  }
}
