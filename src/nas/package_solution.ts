/**
 * Train one architecture stand-alone and package it as a solution (`inas train`, and the search's final step):
 * IR → explorer designs → dataset → training (validation for model selection) → Q15 quantization (calibration on
 * training samples) → float and Q15 accuracy on the TEST split → solution folder (solution.json, weights.bin,
 * samples.bin) with per-layer designs and predicted costs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadDataset, type Dataset } from '../data/index.ts';
import { exploreNetwork, type NetworkExploration } from '../explorer/index.ts';
import { buildNetwork, networkStats, type Network } from '../network/index.ts';
import { createPlatform } from '../platform/index.ts';
import { encodeWeights, evaluateQModel, quantizeModel, quantSection, weightFracFor, writeSolution, type SolutionDraft } from '../quant/index.ts';
import { fail, issue, ok, type BackendName, type InasSettings, type Result } from '../settings/index.ts';
import { buildModel, evaluateModel, extractWeights, faultTrainingOptions, initBackend, trainModel, type BatchProgress, type EpochStats } from '../train/index.ts';
import type { EvalHooks } from './evaluator.ts';
import type { PackageFn, PackageInfo } from './search.ts';

/** Options of `trainAndPackage`. */
export interface TrainPackageOptions {
  /** Epochs (default: settings.training.epochs). */
  readonly epochs?: number;
  /** Output folder (default: `<output.dir>/train_<family>_<arch>`). */
  readonly outDir?: string;
  /** Compute backend (default: settings.training.backend). */
  readonly backend?: BackendName;
  /** 16 (Q15) or 8 (int8 weights); default settings.training.weight_bits (16 for settings saved before it existed). */
  readonly weightBits?: 16 | 8;
  /** Seed of the weights init, shuffling and validation split (default: settings.search.seed). */
  readonly seed?: number;
  /** Test samples stored in samples.bin for golden vectors (default 8). */
  readonly sampleCount?: number;
  /** Training samples used to calibrate activation ranges (default 1000). */
  readonly calibrationCount?: number;
  /** A dataset already loaded (the search passes its own); otherwise loaded from settings.dataset. */
  readonly dataset?: Dataset;
  /** A network already built from `arch` (otherwise built with the settings' search space). */
  readonly network?: Network;
  readonly signal?: AbortSignal;
  readonly onPhase?: (phase: 'explore' | 'data' | 'warning' | 'backend' | 'train' | 'quantize' | 'evaluate' | 'write', detail?: string) => void;
  readonly onEpoch?: (e: EpochStats) => void;
  readonly onBatch?: (b: BatchProgress) => void;
}

/** What `inas train --json` prints (accuracies as fractions). */
export interface TrainPackageResult {
  readonly backend: string;
  readonly accuracy: { readonly float: number; readonly q15: number };
  readonly params: number;
  readonly macs: number;
  readonly elapsed_s: number;
  /** Path of solution.json. */
  readonly solution: string;
  readonly weight_bits: 16 | 8;
  readonly feasible: boolean;
  readonly predicted: { readonly latency_s: number | null; readonly energy_j: number | null; readonly power_cycles: number | null };
  readonly epochs_run: number;
  readonly train_samples_per_s: number;
  readonly test_samples: number;
}

const INAS_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The solution draft for a trained, quantized network and its exploration. */
export function solutionDraft(settings: InasSettings, digest: string, net: Network, exp: NetworkExploration,
  accuracy: { float: number | null; q15: number | null }, quant: SolutionDraft['quant'], now: Date): SolutionDraft {
  return {
    schema_version: 1, kind: 'inas-solution', inas_version: INAS_VERSION, created_utc: now.toISOString(),
    settings_digest: digest, settings, family: net.family, arch: [...net.arch], input_shape: [...net.input], classes: net.classes,
    power: exp.power, compat: exp.compat, feasible: exp.feasible,
    layers: net.layers.map((l, i) => {
      const e = exp.layers[i];
      return { name: l.name, type: l.type, design: e?.design ?? null, latency_s: e?.latency_s ?? null,
        energy_per_cycle_j: e?.energy_per_cycle_j ?? null, power_cycles: e?.power_cycles ?? null, vm_bytes: e?.vm_bytes ?? null };
    }),
    predicted: { latency_s: exp.latency_s, energy_j: exp.energy_j, power_cycles: exp.power_cycles },
    accuracy, quant,
  };
}

/** Trains `arch` stand-alone, quantizes it, evaluates float and Q15 on the test split, and writes a solution. */
export async function trainAndPackage(loaded: { readonly settings: InasSettings; readonly digest: string }, arch: readonly number[],
  opts: TrainPackageOptions = {}): Promise<Result<TrainPackageResult>> {
  const t0 = performance.now();
  const s = loaded.settings;
  const seed = opts.seed ?? s.search.seed;
  const bits = opts.weightBits ?? s.training.weight_bits ?? 16;
  let net = opts.network;
  if (!net) {
    const r = buildNetwork(arch, s.search_space, { strictChoices: false });
    if (!r.ok) return r;
    net = r.value;
  }
  opts.onPhase?.('explore');
  const platform = createPlatform(s.platform);
  if (!platform.ok) return platform;
  const exp = exploreNetwork(net, platform.value);

  let ds = opts.dataset;
  if (!ds) {
    opts.onPhase?.('data', s.dataset.name);
    const d = await loadDataset(s.dataset, { seed, onWarning: (w) => opts.onPhase?.('warning', `${w.path}: ${w.message}`) });
    if (!d.ok) return d;
    ds = d.value;
  }
  const [H, W, C] = net.input;
  if (ds.input_shape[0] * ds.input_shape[1] * ds.input_shape[2] !== H * W * C || ds.classes !== net.classes) {
    return fail(issue('invalid_settings', 'search_space.input_shape',
      `the network expects input [${net.input.join(', ')}] and ${net.classes} classes; dataset ${ds.name} has [${ds.input_shape.join(', ')}] and ${ds.classes}`));
  }
  if (ds.test.count === 0) return fail(issue('dataset_missing', `dataset.${ds.name}`, 'the test split is empty'));

  opts.onPhase?.('backend', opts.backend ?? s.training.backend);
  const be = await initBackend(opts.backend ?? s.training.backend);
  if (!be.ok) return be;

  opts.onPhase?.('train');
  const model = buildModel(net, { seed });
  try {
    const tr = await trainModel(model, { train: ds.train, validation: ds.validation }, {
      epochs: opts.epochs ?? s.training.epochs, batchSize: s.training.batch_size, learningRate: s.training.learning_rate,
      patience: s.training.patience, seed, ...faultTrainingOptions(s.training, weightFracFor, bits),
      ...(opts.onEpoch ? { onEpoch: opts.onEpoch } : {}), ...(opts.onBatch ? { onBatch: opts.onBatch } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (tr.aborted) return fail(issue('invalid_argument', 'train', 'interrupted'));

    opts.onPhase?.('evaluate', 'float');
    const floatAcc = await evaluateModel(model, ds.test);
    const weights = extractWeights(model, net);

    opts.onPhase?.('quantize');
    const n = H * W * C;
    const calCount = Math.min(opts.calibrationCount ?? 1000, ds.train.count);
    const q = quantizeModel(net, weights, ds.train.x.subarray(0, calCount * n), { weightBits: bits, calibrationCount: calCount });
    opts.onPhase?.('evaluate', 'q15');
    const q15Acc = evaluateQModel(q, ds.test);

    opts.onPhase?.('write');
    const outDir = opts.outDir ?? path.join(s.output.dir, `train_${net.family}_${net.arch.join('-')}`);
    const sampleCount = Math.min(opts.sampleCount ?? 8, ds.test.count);
    const draft = solutionDraft(s, loaded.digest, net, exp, { float: floatAcc, q15: q15Acc }, quantSection(q), new Date());
    const written = writeSolution(outDir, draft, encodeWeights(q),
      { x: ds.test.x.slice(0, sampleCount * n), y: ds.test.y.slice(0, sampleCount), count: sampleCount });
    if (!written.ok) return written;
    const st = networkStats(net);
    return ok({
      backend: tr.backend, accuracy: { float: floatAcc, q15: q15Acc }, params: st.params, macs: st.macs,
      elapsed_s: (performance.now() - t0) / 1000, solution: written.value, weight_bits: bits, feasible: exp.feasible,
      predicted: { latency_s: exp.latency_s, energy_j: exp.energy_j, power_cycles: exp.power_cycles },
      epochs_run: tr.epochs_run, train_samples_per_s: tr.samples_per_s, test_samples: ds.test.count,
    });
  } finally {
    model.dispose();
  }
}

/**
 * A `PackageFn` for the search loop: packages the chosen child into `<runDir>/best` with trainAndPackage and
 * reports progress through the evaluator hooks.
 */
export function createPackageFn(loaded: { readonly settings: InasSettings; readonly digest: string },
  opts: Omit<TrainPackageOptions, 'network' | 'outDir' | 'signal' | 'onBatch'> = {}): PackageFn {
  return async (net, _trial, runDir, hooks: EvalHooks): Promise<Result<PackageInfo>> => {
    const r = await trainAndPackage(loaded, net.arch, {
      ...opts, network: net, outDir: path.join(runDir, 'best'),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.onProgress ? {
        onBatch: (b: BatchProgress) => hooks.onProgress?.({ phase: `package epoch ${b.epoch}/${b.epochs}`, done: b.samples_done, total: b.samples_total,
          status: `loss ${b.loss.toFixed(3)}` }),
      } : {}),
    });
    if (!r.ok) return r;
    return ok({ best_json: r.value.solution, accuracy_float: r.value.accuracy.float, accuracy_q15: r.value.accuracy.q15, weight_bits: r.value.weight_bits });
  };
}
