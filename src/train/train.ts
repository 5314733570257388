/**
 * Training and evaluation of IR models (reference §3.4, with the original's flaws fixed): Adam, mini-batches
 * shuffled by a seeded RNG, early stopping on *validation* accuracy with patience, best-validation weights restored
 * at the end. Progress is reported through callbacks (samples/s, loss, ETA); nothing is printed here.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng, type TrainingSettings } from '../settings/index.ts';
import type { Network } from '../network/index.ts';

/** A split of a dataset (structurally the data module's `Split`): x is N·H·W·C floats (HWC), y the labels. */
export interface TrainSplit {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
}

/** One finished epoch. */
export interface EpochStats {
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  /** Mean training loss (softmax cross-entropy) over the epoch's batches. */
  readonly loss: number;
  /** Validation accuracy (fraction), or null without a validation split. */
  readonly val_accuracy: number | null;
  /** Training throughput of this epoch (evaluation excluded). */
  readonly samples_per_s: number;
  readonly elapsed_s: number;
  /** Whether this epoch is the best so far (its weights are kept). */
  readonly best: boolean;
  /** Bit error rate of random bit error training in this epoch (0 = off; ramps up with bitErrorRampEpochs). */
  readonly bit_error_rate: number;
}

/** Progress inside an epoch, after each batch. */
export interface BatchProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  readonly samples_done: number;
  readonly samples_total: number;
  /** Loss of this batch. */
  readonly loss: number;
  readonly samples_per_s: number;
  /** Estimated time to the end of this epoch and to the end of all epochs (without early stopping). */
  readonly eta_epoch_s: number;
  readonly eta_s: number;
}

/** Training options (batch size, epochs, learning rate and patience come from the settings' `training`). */
export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Stop after this many epochs without a better validation accuracy (0 = never stop early). */
  readonly patience: number;
  /** Seeds the shuffling (and the bit-error injection). */
  readonly seed: number;
  /**
   * Random bit error training: at each step the gradient is taken at a copy of the weights whose Q15 image
   * (per-layer power-of-two scale) had each bit flipped with this probability; the update is applied to the clean
   * weights. 0 or absent = off.
   */
  readonly bitErrorRate?: number;
  /**
   * Weight clipping (Stutz et al.): after every step the weights are projected into [−weightClip, weightClip], which
   * keeps the per-layer Q15 scale fine-grained and bounds the damage of a flipped high bit. 0 or absent = off.
   */
  readonly weightClip?: number;
  /**
   * Curriculum for random bit error training: the rate ramps up linearly over the first N epochs (epoch e trains at
   * bitErrorRate · min(1, e / N)), so the net learns before it is perturbed at full rate. 0 or absent = constant.
   */
  readonly bitErrorRampEpochs?: number;
  /**
   * Fractional bits of the Q15 image whose bits are flipped, per layer: `(kernel, outChannels) => f`. Pass the
   * deployment quantizer's rule (the quant module's `weightFracFor`) so that training sees the same bit weights as
   * the deployed model; absent = the largest f with max|w|·2^f ≤ 32767.
   */
  readonly weightFrac?: (w: Float32Array, outChannels: number, bits: 16 | 8) => number;
  /** Word width of the deployed weights whose bits are flipped: 16 (Q15, default) or 8 (int8). */
  readonly faultWeightBits?: 16 | 8;
  readonly onEpoch?: (e: EpochStats) => void;
  readonly onBatch?: (b: BatchProgress) => void;
  /** Stops training after the current batch (best weights are still restored). */
  readonly signal?: AbortSignal;
}

/** What trainModel did. */
export interface TrainResult {
  readonly backend: string;
  readonly epochs_run: number;
  /** 1-based epoch whose weights the model holds now. */
  readonly best_epoch: number;
  readonly best_val_accuracy: number | null;
  readonly stopped_early: boolean;
  readonly aborted: boolean;
  readonly history: readonly EpochStats[];
  /** Training throughput over all epochs (evaluation excluded). */
  readonly samples_per_s: number;
  readonly elapsed_s: number;
}

/** The model that outputs FC_END's logits (shares the layers and weights of `model`). */
export function logitsModel(model: tf.LayersModel): tf.LayersModel {
  const out = model.getLayer('FC_END').output;
  if (Array.isArray(out)) throw new Error('FC_END has several outputs');
  return tf.model({ inputs: model.inputs, outputs: out });
}

function inputShape(model: tf.LayersModel): number[] {
  const s = model.inputs[0]?.shape;
  if (!s) throw new Error('model has no input');
  return s.slice(1).map((d) => d ?? 0);
}

function checkSplit(split: TrainSplit, sampleSize: number, what: string): void {
  if (split.x.length !== split.count * sampleSize || split.y.length !== split.count) {
    throw new Error(`${what} split: ${split.count} samples need ${split.count * sampleSize} x values and ${split.count} labels, ` +
      `got ${split.x.length} and ${split.y.length}`);
  }
}

function shuffled(n: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = t;
  }
  return idx;
}

/**
 * Flips each bit of the fixed-point image of `w` (int16 Q15, or int8 with `bits` 8) with probability `ber`. The image
 * has `frac` fractional bits (default: the power-of-two scale chosen from max |w|); values are rounded and saturated
 * to the word before the flips, and the flipped words are returned as floats.
 */
export function flipWeightBits(w: Float32Array, ber: number, rng: Rng, frac?: number, bits: 16 | 8 = 16): Float32Array {
  const hi = bits === 16 ? 32767 : 127, lo = -hi - 1;
  if (frac === undefined) {
    let maxAbs = 0;
    for (let i = 0; i < w.length; i++) maxAbs = Math.max(maxAbs, Math.abs(w[i] as number));
    frac = maxAbs > 0 ? Math.floor(Math.log2(hi / maxAbs)) : bits - 1;
  }
  const scale = 2 ** frac;
  const q = new Int32Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.max(lo, Math.min(hi, Math.round((w[i] as number) * scale)));
  const total = w.length * bits;
  const shift = bits === 16 ? 4 : 3, mask = bits - 1;
  if (ber >= 1) {
    for (let i = 0; i < q.length; i++) q[i] = ~(q[i] as number);
  } else if (ber > 0) {
    const logQ = Math.log(1 - ber);
    // Geometric skipping: the gap to the next flipped bit.
    for (let pos = Math.floor(Math.log(1 - rng.next()) / logQ); pos < total; pos += 1 + Math.floor(Math.log(1 - rng.next()) / logQ)) {
      const i = pos >> shift;
      q[i] = (q[i] as number) ^ (1 << (pos & mask));
    }
  }
  const out = new Float32Array(w.length);
  // Back to two's complement of the word width (the flips of the sign bit above are in the int32 container).
  const wrap = bits === 16 ? (v: number): number => (v << 16) >> 16 : (v: number): number => (v << 24) >> 24;
  for (let i = 0; i < w.length; i++) out[i] = wrap(q[i] as number) / scale;
  return out;
}

/**
 * The fault-aware training options of the settings' `training` section (bit_error_rate, bit_error_ramp_epochs,
 * weight_clip), with the deployment quantizer's weight-scale rule (the quant module's `weightFracFor`) when given.
 * Empty when they are all off.
 */
export function faultTrainingOptions(t: Pick<TrainingSettings, 'bit_error_rate' | 'weight_clip' | 'bit_error_ramp_epochs'>,
  weightFrac?: (w: Float32Array, outChannels: number, bits: 16 | 8) => number, weightBits: 16 | 8 = 16):
  Pick<TrainOptions, 'bitErrorRate' | 'weightClip' | 'bitErrorRampEpochs' | 'weightFrac' | 'faultWeightBits'> {
  return {
    ...(t.bit_error_rate > 0 && weightBits === 8 ? { faultWeightBits: 8 as const } : {}),
    ...(t.bit_error_rate > 0 ? { bitErrorRate: t.bit_error_rate } : {}),
    ...(t.bit_error_rate > 0 && t.bit_error_ramp_epochs > 0 ? { bitErrorRampEpochs: t.bit_error_ramp_epochs } : {}),
    ...(t.bit_error_rate > 0 && weightFrac ? { weightFrac } : {}),
    ...(t.weight_clip > 0 ? { weightClip: t.weight_clip } : {}),
  };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains `model` (from buildModel) on `data.train`, selecting the epoch by accuracy on `data.validation` (the test
 * split is never seen). Restores the best-validation weights before returning. Without validation samples the
 * last epoch is kept and early stopping is off. Deterministic for a given seed on a given backend.
 */
export async function trainModel(model: tf.LayersModel, data: { train: TrainSplit; validation: TrainSplit }, opts: TrainOptions): Promise<TrainResult> {
  const shape = inputShape(model);
  const sampleSize = shape.reduce((a, b) => a * b, 1);
  checkSplit(data.train, sampleSize, 'train');
  checkSplit(data.validation, sampleSize, 'validation');
  if (!(opts.epochs >= 1) || !(opts.batchSize >= 1) || !(opts.learningRate > 0) || !(opts.patience >= 0)) {
    throw new Error(`invalid training options: epochs ${opts.epochs}, batch ${opts.batchSize}, lr ${opts.learningRate}, patience ${opts.patience}`);
  }
  const logits = logitsModel(model);
  const classes = logits.outputs[0]?.shape[1] ?? 0;
  const optimizer = tf.train.adam(opts.learningRate);
  const shuffleRng = createRng(opts.seed);
  const faultRng = createRng((opts.seed ^ 0x5bd1e995) >>> 0);
  const fullBer = opts.bitErrorRate ?? 0;
  const clip = opts.weightClip ?? 0;
  const ramp = opts.bitErrorRampEpochs ?? 0;
  const faultBits = opts.faultWeightBits ?? 16;
  if (!(clip >= 0)) throw new Error(`invalid weight clip ${clip}`);
  if (!(fullBer >= 0 && fullBer <= 1) || !(ramp >= 0)) throw new Error(`invalid bit error rate ${fullBer} or ramp ${ramp}`);
  const kernels = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const n = data.train.count;
  const bs = Math.min(opts.batchSize, Math.max(1, n));
  const batches = Math.ceil(n / bs);
  const xBuf = new Float32Array(bs * sampleSize);
  const yBuf = new Float32Array(bs * classes);
  const hasVal = data.validation.count > 0;

  const history: EpochStats[] = [];
  let best: { epoch: number; acc: number | null; weights: Float32Array[] } | null = null;
  let sinceBest = 0;
  let trainTimeS = 0;
  let trainSamples = 0;
  let stoppedEarly = false;
  let aborted = false;
  const t0 = performance.now();

  for (let epoch = 1; epoch <= opts.epochs && !aborted; epoch++) {
    const order = shuffled(n, shuffleRng);
    const ber = ramp > 0 ? fullBer * Math.min(1, epoch / ramp) : fullBer;
    const e0 = performance.now();
    let lossSum = 0;
    let done = 0;
    for (let b = 0; b < batches; b++) {
      const start = b * bs;
      const m = Math.min(bs, n - start);
      yBuf.fill(0);
      for (let i = 0; i < m; i++) {
        const s = order[start + i] as number;
        xBuf.set(data.train.x.subarray(s * sampleSize, (s + 1) * sampleSize), i * sampleSize);
        const label = data.train.y[s] as number;
        if (label < 0 || label >= classes) throw new Error(`train label ${label} of sample ${s} is outside 0..${classes - 1}`);
        yBuf[i * classes + label] = 1;
      }
      const xs = tf.tensor(m === bs ? xBuf : xBuf.subarray(0, m * sampleSize), [m, ...shape], 'float32');
      const ys = tf.tensor2d(m === bs ? yBuf : yBuf.subarray(0, m * classes), [m, classes], 'float32');
      const lossFn = (): tf.Scalar => tf.losses.softmaxCrossEntropy(ys, logits.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar;
      let lossValue: number;
      if (ber > 0) {
        // RandBET (Stutz et al.): average the gradients of the clean loss and of the loss at a bit-error-perturbed
        // Q15 copy of the weights, and apply them to the clean weights.
        const cleanGrads = tf.variableGrads(lossFn, kernels);
        const clean = kernels.map((v) => v.dataSync().slice() as Float32Array);
        kernels.forEach((v, i) => tf.tidy(() => {
          const w = clean[i] as Float32Array;
          const frac = opts.weightFrac?.(w, v.shape[v.shape.length - 1] ?? 1, faultBits);
          v.assign(tf.tensor(flipWeightBits(w, ber, faultRng, frac, faultBits), v.shape));
        }));
        const { value, grads } = tf.variableGrads(lossFn, kernels);
        kernels.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(clean[i] as Float32Array, v.shape))));
        const averaged = kernels.map((v) => ({ name: v.name, tensor: tf.tidy(() => tf.add(grads[v.name] as tf.Tensor, cleanGrads.grads[v.name] as tf.Tensor).mul(0.5)) }));
        optimizer.applyGradients(averaged);
        lossValue = ((value.dataSync()[0] ?? NaN) + (cleanGrads.value.dataSync()[0] ?? NaN)) / 2;
        value.dispose();
        cleanGrads.value.dispose();
        tf.dispose(Object.values(grads));
        tf.dispose(Object.values(cleanGrads.grads));
        tf.dispose(averaged.map((g) => g.tensor));
      } else {
        const loss = optimizer.minimize(lossFn, true, kernels);
        lossValue = loss?.dataSync()[0] ?? NaN;
        loss?.dispose();
      }
      if (clip > 0) kernels.forEach((v) => tf.tidy(() => v.assign(tf.clipByValue(v, -clip, clip))));
      xs.dispose();
      ys.dispose();
      lossSum += lossValue * m;
      done += m;
      const elapsedS = (performance.now() - e0) / 1000;
      const rate = elapsedS > 0 ? done / elapsedS : 0;
      if (opts.onBatch) {
        const etaEpoch = rate > 0 ? (n - done) / rate : NaN;
        opts.onBatch({ epoch, epochs: opts.epochs, batch: b + 1, batches, samples_done: done, samples_total: n, loss: lossValue,
          samples_per_s: rate, eta_epoch_s: etaEpoch, eta_s: etaEpoch + (rate > 0 ? ((opts.epochs - epoch) * n) / rate : NaN) });
      }
      if (opts.signal?.aborted) { aborted = true; break; }
      await yieldToEventLoop();
    }
    const epochS = (performance.now() - e0) / 1000;
    trainTimeS += epochS;
    trainSamples += done;
    const valAcc = hasVal ? await evaluateModel(model, data.validation) : null;
    const isBest = best === null || (valAcc !== null && best.acc !== null && valAcc > best.acc) || !hasVal;
    if (isBest) {
      best = { epoch, acc: valAcc, weights: kernels.map((v) => v.dataSync().slice() as Float32Array) };
      sinceBest = 0;
    } else {
      sinceBest++;
    }
    const stats: EpochStats = { epoch, epochs: opts.epochs, loss: done > 0 ? lossSum / done : NaN, val_accuracy: valAcc,
      samples_per_s: epochS > 0 ? done / epochS : 0, elapsed_s: (performance.now() - t0) / 1000, best: isBest, bit_error_rate: ber };
    history.push(stats);
    opts.onEpoch?.(stats);
    if (hasVal && opts.patience > 0 && sinceBest >= opts.patience && epoch < opts.epochs) {
      stoppedEarly = true;
      break;
    }
  }
  if (best) {
    const w = best.weights;
    kernels.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(w[i] as Float32Array, v.shape))));
  }
  optimizer.dispose();
  return {
    backend: tf.getBackend(), epochs_run: history.length, best_epoch: best?.epoch ?? 0, best_val_accuracy: best?.acc ?? null,
    stopped_early: stoppedEarly, aborted, history, samples_per_s: trainTimeS > 0 ? trainSamples / trainTimeS : 0,
    elapsed_s: (performance.now() - t0) / 1000,
  };
}

/** Logits (FC_END outputs, count × classes) of the model on `count` samples of x. */
export function predictLogits(model: tf.LayersModel, x: Float32Array, count: number, batchSize = 512): Float32Array {
  const logits = logitsModel(model);
  const shape = inputShape(model);
  const sampleSize = shape.reduce((a, b) => a * b, 1);
  const classes = logits.outputs[0]?.shape[1] ?? 0;
  const out = new Float32Array(count * classes);
  for (let s = 0; s < count; s += batchSize) {
    const m = Math.min(batchSize, count - s);
    const r = tf.tidy(() => (logits.predict(tf.tensor(x.subarray(s * sampleSize, (s + m) * sampleSize), [m, ...shape], 'float32')) as tf.Tensor).dataSync());
    out.set(r, s * classes);
  }
  return out;
}

/** Accuracy (fraction of correct argmax predictions) of the model on a split; 0 for an empty split. */
export async function evaluateModel(model: tf.LayersModel, split: TrainSplit, opts: { batchSize?: number } = {}): Promise<number> {
  if (split.count === 0) return 0;
  const logits = predictLogits(model, split.x, split.count, opts.batchSize ?? 512);
  const classes = logits.length / split.count;
  let correct = 0;
  for (let i = 0; i < split.count; i++) {
    let arg = 0;
    for (let c = 1; c < classes; c++) if ((logits[i * classes + c] as number) > (logits[i * classes + arg] as number)) arg = c;
    if (arg === split.y[i]) correct++;
  }
  return correct / split.count;
}

/**
 * Float activations of every IR layer (CONV_i / FC_i after ReLU, GAVGPOOL_0, FC_END logits) on `count` samples,
 * each count × elements in HWC order: the quantizer's calibration data.
 */
export function layerActivations(model: tf.LayersModel, net: Network, x: Float32Array, count: number, batchSize = 256): Float32Array[] {
  const outs = net.layers.map((l) => {
    const o = model.getLayer(l.name).output;
    if (Array.isArray(o)) throw new Error(`layer ${l.name} has several outputs`);
    return o;
  });
  const probe = tf.model({ inputs: model.inputs, outputs: outs });
  const shape = inputShape(model);
  const sampleSize = shape.reduce((a, b) => a * b, 1);
  const sizes = net.layers.map((l) => l.ofm.ch * l.ofm.h * l.ofm.w);
  const result = sizes.map((s) => new Float32Array(s * count));
  for (let s = 0; s < count; s += batchSize) {
    const m = Math.min(batchSize, count - s);
    tf.tidy(() => {
      const r = probe.predict(tf.tensor(x.subarray(s * sampleSize, (s + m) * sampleSize), [m, ...shape], 'float32'));
      const list = Array.isArray(r) ? r : [r];
      list.forEach((t, i) => (result[i] as Float32Array).set(t.dataSync(), s * (sizes[i] as number)));
    });
  }
  return result;
}
