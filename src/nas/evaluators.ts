/**
 * The two evaluators. `train`: each child is built and trained for N epochs (on the training subset the settings
 * select) and scored on the validation split. `supernet`: one weight-sharing supernet is trained once (checkpointed
 * in the run directory); a child's accuracy is that of its inherited weights on the validation split. Both train
 * children stand-alone (fresh weights, `standaloneEpochs`) for the final re-training and the supernet's Kendall τ.
 * Child initial weights and shuffles are seeded per architecture, so results do not depend on the trial order.
 */
import type { Network } from '../network/index.ts';
import { buildNetwork } from '../network/index.ts';
import { DEFAULT_SETTINGS, fail, issue, ok, type InasSettings, type Result, type SupernetSettings } from '../settings/index.ts';
import type { Dataset } from '../data/index.ts';
import { weightFracFor } from '../quant/index.ts';
import { buildModel, evaluateModel, extractWeights, faultTrainingOptions, trainModel } from '../train/index.ts';
import type { ChildEvaluation, EvalHooks, Evaluator, FaultyAccuracyFn } from './evaluator.ts';
import { createSupernet, supernetSpec, type Supernet } from './supernet.ts';

export interface EvaluatorConfig {
  readonly settings: InasSettings;
  readonly data: Dataset;
  /** Epochs per child (train evaluator). */
  readonly childEpochs: number;
  /** Epochs of stand-alone training (final re-training, τ). */
  readonly standaloneEpochs: number;
  /** Supernet training epochs (search.supernet.epochs unless overridden). */
  readonly supernetEpochs: number;
  /** Run directory (supernet checkpoint). */
  readonly runDir: string;
  /** Paths the supernet may train (the search's gates). */
  readonly validPath: (arch: readonly number[]) => boolean;
  /** Fault-tolerant reward seam: faulty accuracy of a child (weights given); used when faultAlpha > 0. */
  readonly faultyAccuracy?: FaultyAccuracyFn;
  readonly faultAlpha: number;
  readonly faultBer: number;
}

async function trainChild(cfg: EvaluatorConfig, net: Network, seed: number, epochs: number, hooks: EvalHooks):
  Promise<Result<{ accuracy: number; weights: Float32Array[] }>> {
  const t = cfg.settings.training;
  const model = buildModel(net, { seed });
  try {
    const r = await trainModel(model, { train: cfg.data.train, validation: cfg.data.validation }, {
      epochs, batchSize: t.batch_size, learningRate: t.learning_rate, patience: t.patience, seed,
      ...faultTrainingOptions(t, weightFracFor, t.weight_bits ?? 16),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onBatch: (b) => hooks.onProgress?.({ phase: 'train', done: (b.epoch - 1) * b.batches + b.batch, total: b.epochs * b.batches,
        status: `epoch ${b.epoch}/${b.epochs} loss ${b.loss.toFixed(3)}` }),
    });
    if (r.aborted || hooks.signal?.aborted) return fail(issue('interrupted', 'train', 'child training interrupted'));
    const accuracy = r.best_val_accuracy ?? await evaluateModel(model, cfg.data.validation);
    return ok({ accuracy, weights: extractWeights(model, net) });
  } finally {
    model.dispose();
  }
}

async function faulty(cfg: EvaluatorConfig, net: Network, weights: readonly Float32Array[], seed: number): Promise<number | null> {
  if (cfg.faultAlpha <= 0 || !cfg.faultyAccuracy) return null;
  return cfg.faultyAccuracy(net, weights, { ber: cfg.faultBer, seed, weightBits: cfg.settings.training.weight_bits ?? 16 });
}

/** The `train` evaluator. */
export function createTrainEvaluator(cfg: EvaluatorConfig): Evaluator {
  return {
    name: 'train',
    prepare: () => Promise.resolve(ok({ child_epochs: cfg.childEpochs, train_samples: cfg.data.train.count, validation_samples: cfg.data.validation.count })),
    async evaluate(net, seed, hooks): Promise<Result<ChildEvaluation>> {
      const r = await trainChild(cfg, net, seed, cfg.childEpochs, hooks);
      if (!r.ok) return r;
      return ok({ accuracy: r.value.accuracy, accuracy_faulty: await faulty(cfg, net, r.value.weights, seed) });
    },
    async standalone(net, seed, hooks) {
      const r = await trainChild(cfg, net, seed, cfg.standaloneEpochs, hooks);
      return r.ok ? ok({ accuracy: r.value.accuracy }) : r;
    },
    dispose: () => undefined,
  };
}

/** The `supernet` evaluator. */
export function createSupernetEvaluator(cfg: EvaluatorConfig): Evaluator {
  const s = cfg.settings;
  let sn: Supernet | null = null;
  // Runs saved before search.supernet existed resume with the defaults.
  const sc: SupernetSettings = { ...DEFAULT_SETTINGS.search.supernet, ...(s.search.supernet as SupernetSettings | undefined) };
  let trained = false;
  /** The trained supernet: trains it, or (after a resume) reloads its last checkpoint, then sets up head re-fitting. */
  const ready = async (hooks: EvalHooks): Promise<Result<{ supernet: Supernet; epochs: number; steps: number; seconds: number }>> => {
    sn ??= createSupernet(supernetSpec(s.search_space, sc.kernel_sharing), s.search.seed);
    const r = await sn.train(cfg.data.train, {
      epochs: cfg.supernetEpochs, batchSize: s.training.batch_size, learningRate: sc.learning_rate, warmupEpochs: sc.warmup_epochs,
      pathsPerBatch: sc.paths_per_batch, sampling: sc.sampling, distill: sc.distill, leakySlope: sc.leaky_slope, seed: s.search.seed,
      valid: cfg.validPath, checkpointDir: cfg.runDir,
    }, hooks);
    if (!r.ok) return r;
    sn.setHeadRefit(cfg.data.train, sc.head_refit_samples);
    trained = true;
    return ok({ supernet: sn, epochs: r.value.epochs, steps: r.value.steps, seconds: r.value.seconds });
  };
  return {
    name: 'supernet',
    async prepare(hooks) {
      const r = await ready(hooks);
      if (!r.ok) return r;
      return ok({ supernet_epochs: r.value.epochs, supernet_steps: r.value.steps, supernet_train_s: r.value.seconds,
        supernet_learning_rate: sc.learning_rate, supernet_warmup_epochs: sc.warmup_epochs, supernet_paths_per_batch: sc.paths_per_batch,
        supernet_sampling: sc.sampling, supernet_distill: String(sc.distill), supernet_leaky_slope: sc.leaky_slope, supernet_kernel_sharing: sc.kernel_sharing,
        supernet_head_refit_samples: sc.head_refit_samples,
        train_samples: cfg.data.train.count, validation_samples: cfg.data.validation.count, standalone_epochs: cfg.standaloneEpochs });
    },
    async evaluate(net, seed, hooks) {
      // A resumed search skips prepare(): the supernet is then reloaded from its checkpoint (no training repeated).
      let n = sn;
      if (!trained || !n) {
        const r = await ready(hooks);
        if (!r.ok) return r;
        n = r.value.supernet;
      }
      const accuracy = n.accuracy(net.arch, cfg.data.validation);
      const f = await faulty(cfg, net, n.childWeights(net.arch), seed);
      return ok({ accuracy, accuracy_faulty: f });
    },
    async standalone(net, seed, hooks) {
      const r = await trainChild(cfg, net, seed, cfg.standaloneEpochs, hooks);
      return r.ok ? ok({ accuracy: r.value.accuracy }) : r;
    },
    dispose() {
      sn?.dispose();
      sn = null;
    },
  };
}

/** Builds a network or throws (for architectures that already passed the gates). */
export function mustBuild(arch: readonly number[], s: InasSettings): Network {
  const r = buildNetwork(arch, s.search_space);
  if (!r.ok) throw new Error(`architecture ${arch.join(',')} does not build`);
  return r.value;
}
