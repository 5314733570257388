/**
 * Weight-sharing supernet (one-shot NAS). Per searched layer it holds the most filters (conv) or units (fc) and,
 * for the kernel size, either one kernel per size (`kernel_sharing: "separate"`, the default) or only the largest
 * kernel, center-cropped for smaller sizes (`"crop"`); the head holds rows for the most filters. A child inherits
 * sliced weights: its kernel(s), the first f filters / input channels, the first rows of the head, each multiplied
 * by sqrt(full fan-in / child fan-in). That factor keeps every child's activations at the scale of the full layer;
 * since the nets have no biases and ReLU is positively homogeneous, a per-layer positive factor never changes a
 * child's predictions, only how well the shared weights train. The supernet is trained once with sampled paths
 * (optional warm-up epochs on the widest child; then per batch `paths_per_batch` children, uniformly sampled among
 * those the search's gates accept, or the sandwich rule), one Adam step per path, with a seeded shuffle; a checkpoint
 * (weights and Adam moments) is written after every epoch so a killed search resumes without repeating anything.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Network } from '../network/index.ts';
import { createRng, fail, issue, ok, type Family, type KernelSharing, type Result, type Rng, type SupernetSampling } from '../settings/index.ts';
import type { EvalHooks } from './evaluator.ts';
import { writeFileAtomic } from './fsutil.ts';

/** A split as the data module gives it (x: N·H·W·C floats, HWC). */
export interface SplitLike {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
}

export interface SupernetSpec {
  readonly family: Family;
  readonly input: readonly [number, number, number];
  readonly classes: number;
  readonly layers: number;
  readonly kernelSizes: readonly number[];
  readonly filters: readonly number[];
  /** Conv families: one kernel per size ("separate") or the largest one center-cropped ("crop"). */
  readonly kernelSharing: KernelSharing;
}

export interface SupernetTrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Epochs at the start that train only the widest child. */
  readonly warmupEpochs: number;
  /** Paths trained per batch (one Adam step each). */
  readonly pathsPerBatch: number;
  readonly sampling: SupernetSampling;
  /** In-place distillation from the widest child (sampling "widest_first"). */
  readonly distill: boolean;
  /** Initial leaky-ReLU slope of training, annealed to 0 (0 = plain ReLU throughout). */
  readonly leakySlope: number;
  readonly seed: number;
  /** Whether an action vector may be sampled as a training path (valid and, typically, passing the gates). */
  readonly valid: (arch: readonly number[]) => boolean;
  /** Checkpoint folder (supernet.json + supernet.bin), or null for none. */
  readonly checkpointDir: string | null;
}

/** A supernet (a resource: holds tfjs variables until disposed). */
export interface Supernet {
  readonly spec: SupernetSpec;
  /** Trains (or resumes training) for opts.epochs epochs. */
  train(data: SplitLike, opts: SupernetTrainOptions, hooks: EvalHooks): Promise<Result<{ epochs: number; steps: number; seconds: number; resumed_from_epoch: number }>>;
  /** Accuracy of a child with inherited weights. */
  accuracy(arch: readonly number[], split: SplitLike, batchSize?: number): number;
  /** Logits of a child with inherited weights for `count` samples of `x` (N·H·W·C). */
  logits(arch: readonly number[], x: Float32Array, count: number): Float32Array;
  /** The child's inherited kernels in canonical tfjs order (one per CONV/FC layer of the IR). */
  childWeights(arch: readonly number[]): Float32Array[];
  /**
   * Head re-fitting: from now on a child's head (the last FC layer) is fitted in closed form (ridge regression onto
   * the one-hot labels) on its own inherited features of the first `samples` samples of `split` (a training split),
   * instead of sliced from the supernet's head; `samples` 0 turns it off. Affects accuracy, logits and childWeights.
   */
  setHeadRefit(split: SplitLike | null, samples: number): void;
  dispose(): void;
}

interface Checkpoint {
  readonly kind: 'inas-supernet';
  readonly epoch: number;
  readonly steps: number;
  readonly seconds: number;
  readonly tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

/** Weight of the true label in the distillation target (the rest is the widest child's softmax). */
const DISTILL_LABEL_WEIGHT = 0.1;

/** Creates a supernet with glorot-uniform weights from `seed`. */
export function createSupernet(spec: SupernetSpec, seed: number): Supernet {
  const [H, W, C] = spec.input;
  const kmax = spec.family === 'fc' ? 1 : Math.max(...spec.kernelSizes);
  const fmax = Math.max(...spec.filters);
  const glorot = (shape: number[], fanIn: number, fanOut: number, s: number): tf.Variable => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(tf.randomUniform(shape, -lim, lim, 'float32', s));
  };
  const vars: tf.Variable[] = [];
  /** Per searched layer and kernel size: the variable and the offset of the child's kernel inside it. */
  const kernels = new Map<string, { v: tf.Variable; off: number }>();
  const kernelSizes = spec.family === 'fc' ? [1] : [...spec.kernelSizes];
  for (let i = 0; i < spec.layers; i++) {
    const s0 = seed + 101 * (i + 1);
    if (spec.family === 'fc') {
      const fin = i === 0 ? H * W * C : fmax;
      const v = glorot([fin, fmax], fin, fmax, s0);
      vars.push(v);
      kernels.set(`${i}:1`, { v, off: 0 });
      continue;
    }
    const cin = i === 0 ? C : fmax;
    const shapeOf = (k: number): [number, number, number, number] => [k, spec.family === 'conv2d' ? k : 1, cin, fmax];
    if (spec.kernelSharing === 'crop') {
      const [kh, kw] = shapeOf(kmax);
      const v = glorot(shapeOf(kmax), kh * kw * cin, kh * kw * fmax, s0);
      vars.push(v);
      for (const k of kernelSizes) kernels.set(`${i}:${k}`, { v, off: Math.floor((kmax - k) / 2) });
    } else {
      for (const k of [...new Set(kernelSizes)].sort((a, b) => a - b)) {
        const [kh, kw] = shapeOf(k);
        const v = glorot(shapeOf(k), kh * kw * cin, kh * kw * fmax, s0 + 13 * k);
        vars.push(v);
        kernels.set(`${i}:${k}`, { v, off: 0 });
      }
    }
  }
  const head = glorot([fmax, spec.classes], fmax, spec.classes, seed + 7);
  vars.push(head);

  const widths = (arch: readonly number[]): { k: number; f: number }[] =>
    Array.from({ length: spec.layers }, (_, i) => spec.family === 'fc'
      ? { k: 1, f: arch[i] ?? 0 } : { k: arch[2 * i] ?? 0, f: arch[2 * i + 1] ?? 0 });

  /** The child's effective kernel of searched layer i: the slice times sqrt(full fan-in / child fan-in) (inside tidy). */
  const kernelOf = (i: number, k: number, cin: number, f: number): tf.Tensor => {
    const e = kernels.get(`${i}:${k}`);
    if (!e) throw new Error(`supernet: layer ${i} has no kernel of size ${k}`);
    const full = e.v.shape;
    const fullFanIn = (full[0] ?? 1) * (spec.family === 'fc' ? 1 : (full[1] ?? 1) * (full[2] ?? 1));
    if (spec.family === 'fc') return e.v.slice([0, 0], [cin, f]).mul(Math.sqrt(fullFanIn / cin));
    const kw = spec.family === 'conv2d' ? k : 1;
    const sliced = spec.family === 'conv2d' ? e.v.slice([e.off, e.off, 0, 0], [k, k, cin, f]) : e.v.slice([e.off, 0, 0, 0], [k, 1, cin, f]);
    return sliced.mul(Math.sqrt(fullFanIn / (k * kw * cin)));
  };
  const headOf = (cin: number): tf.Tensor => head.slice([0, 0], [cin, spec.classes]).mul(Math.sqrt(fmax / cin));

  /** Logits of a child; `slope` > 0 trains with leaky ReLUs (the children themselves use ReLU: slope 0). */
  const forward = (arch: readonly number[], x: tf.Tensor4D, slope = 0): tf.Tensor2D => {
    const act = (z: tf.Tensor): tf.Tensor => (slope > 0 ? tf.leakyRelu(z, slope) : tf.relu(z));
    const ws = widths(arch);
    let cin = spec.family === 'fc' ? H * W * C : C;
    let h: tf.Tensor = spec.family === 'fc' ? x.reshape([x.shape[0], H * W * C]) : x;
    ws.forEach(({ k, f }, i) => {
      const kern = kernelOf(i, k, cin, f);
      h = spec.family === 'fc' ? act(tf.matMul(h as tf.Tensor2D, kern as tf.Tensor2D))
        : act(tf.conv2d(h as tf.Tensor4D, kern as tf.Tensor4D, 1, 'valid'));
      cin = f;
    });
    if (spec.family !== 'fc') h = tf.mean(h, [1, 2]);
    return tf.matMul(h as tf.Tensor2D, (useRefit ? refitHead(arch) : headOf(cin)) as tf.Tensor2D);
  };

  /** Features before the head (GAP output for conv families, last hidden layer for fc). */
  const features = (arch: readonly number[], x: tf.Tensor4D): tf.Tensor2D => {
    let cin = spec.family === 'fc' ? H * W * C : C;
    let h: tf.Tensor = spec.family === 'fc' ? x.reshape([x.shape[0], H * W * C]) : x;
    widths(arch).forEach(({ k, f }, i) => {
      const kern = kernelOf(i, k, cin, f);
      h = spec.family === 'fc' ? tf.relu(tf.matMul(h as tf.Tensor2D, kern as tf.Tensor2D)) : tf.relu(tf.conv2d(h as tf.Tensor4D, kern as tf.Tensor4D, 1, 'valid'));
      cin = f;
    });
    return (spec.family === 'fc' ? h : tf.mean(h, [1, 2])) as tf.Tensor2D;
  };

  let refit: { split: SplitLike; samples: number } | null = null;
  let useRefit = false;
  const refitCache = new Map<string, Float32Array>();
  /** The ridge-regression head of a child (cin × classes), cached per architecture (a tensor; call inside tidy). */
  const refitHead = (arch: readonly number[]): tf.Tensor2D => {
    const key = arch.join(',');
    const ws = widths(arch);
    const cin = ws[ws.length - 1]?.f ?? 0;
    let w = refitCache.get(key);
    if (!w && refit) {
      const r = refit;
      const n = Math.min(r.samples, r.split.count);
      const idx = Array.from({ length: n }, (_, i) => i);
      const A = new Float64Array(cin * cin), B = new Float64Array(cin * spec.classes);
      for (let from = 0; from < n; from += 500) {
        const to = Math.min(n, from + 500);
        const f = tf.tidy(() => features(arch, batchTensor(r.split, idx, from, to).x).dataSync());
        for (let s = 0; s < to - from; s++) {
          const label = r.split.y[from + s] ?? 0;
          for (let i = 0; i < cin; i++) {
            const fi = f[s * cin + i] ?? 0;
            B[i * spec.classes + label] = (B[i * spec.classes + label] ?? 0) + fi;
            for (let j = 0; j < cin; j++) A[i * cin + j] = (A[i * cin + j] ?? 0) + fi * (f[s * cin + j] ?? 0);
          }
        }
      }
      w = new Float32Array(solveRidge(A, B, cin, spec.classes));
      refitCache.set(key, w);
    }
    return tf.tensor2d(w ?? new Float32Array(cin * spec.classes), [cin, spec.classes]);
  };

  const batchTensor = (split: SplitLike, idx: Int32Array | number[], from: number, to: number): { x: tf.Tensor4D; y: tf.Tensor2D } => {
    const n = to - from, per = H * W * C;
    const xb = new Float32Array(n * per);
    const yb = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const s = idx[from + j] ?? 0;
      xb.set(split.x.subarray(s * per, (s + 1) * per), j * per);
      yb[j] = split.y[s] ?? 0;
    }
    return { x: tf.tensor4d(xb, [n, H, W, C]), y: tf.oneHot(tf.tensor1d(yb, 'int32'), spec.classes).toFloat() as tf.Tensor2D };
  };

  let optimizer: tf.AdamOptimizer | null = null;
  let state = { epoch: 0, steps: 0, seconds: 0 };

  /**
   * A training path: 'max' = the widest child (largest kernels, most filters; trained even when the gates reject it:
   * it is the teacher and warms up the shared weights), 'rand' = uniform among the children the gates accept.
   */
  const samplePath = (rng: Rng, which: 'max' | 'rand', valid: (a: readonly number[]) => boolean): number[] | null => {
    const fsorted = [...spec.filters].sort((a, b) => a - b);
    if (which === 'max') {
      const f = fsorted[fsorted.length - 1] ?? 0;
      return Array.from({ length: spec.layers }, () => (spec.family === 'fc' ? [f] : [kmax, f])).flat();
    }
    for (let tries = 0; tries < 200; tries++) {
      const arch: number[] = [];
      for (let i = 0; i < spec.layers; i++) {
        const f = spec.filters[rng.int(spec.filters.length)] ?? 0;
        if (spec.family === 'fc') arch.push(f);
        else arch.push(spec.kernelSizes[rng.int(spec.kernelSizes.length)] ?? 0, f);
      }
      if (valid(arch)) return arch;
    }
    return null;
  };

  const saveCheckpoint = (dir: string): void => {
    const named: { name: string; tensor: tf.Tensor }[] = vars.map((v, i) => ({ name: `w${i}`, tensor: v as tf.Tensor }));
    // Adam moments (getWeights is async in tfjs; variables are accessed synchronously here).
    const opt = optimizer as unknown as { accumulatedFirstMoment?: { variable: tf.Variable }[]; accumulatedSecondMoment?: { variable: tf.Variable }[]; accBeta1?: tf.Variable; accBeta2?: tf.Variable } | null;
    opt?.accumulatedFirstMoment?.forEach((m, i) => named.push({ name: `m${i}`, tensor: m.variable }));
    opt?.accumulatedSecondMoment?.forEach((m, i) => named.push({ name: `v${i}`, tensor: m.variable }));
    if (opt?.accBeta1) named.push({ name: 'b1', tensor: opt.accBeta1 });
    if (opt?.accBeta2) named.push({ name: 'b2', tensor: opt.accBeta2 });
    const arrays = named.map((n) => ({ name: n.name, shape: n.tensor.shape, data: n.tensor.dataSync() as Float32Array }));
    const total = arrays.reduce((s, a) => s + a.data.length, 0);
    const buf = new Float32Array(total);
    const tensors: Checkpoint['tensors'] = [];
    let off = 0;
    for (const a of arrays) { buf.set(a.data, off); tensors.push({ name: a.name, shape: [...a.shape], offset: off, length: a.data.length }); off += a.data.length; }
    writeFileAtomic(path.join(dir, 'supernet.bin'), new Uint8Array(buf.buffer));
    const ck: Checkpoint = { kind: 'inas-supernet', epoch: state.epoch, steps: state.steps, seconds: state.seconds, tensors };
    writeFileAtomic(path.join(dir, 'supernet.json'), JSON.stringify(ck));
  };

  const loadCheckpoint = (dir: string, lr: number): Result<boolean> => {
    const jf = path.join(dir, 'supernet.json'), bf = path.join(dir, 'supernet.bin');
    if (!existsSync(jf) || !existsSync(bf)) return ok(false);
    let ck: Checkpoint;
    try {
      ck = JSON.parse(readFileSync(jf, 'utf8')) as Checkpoint;
    } catch (e) {
      return fail(issue('invalid_json', jf, `cannot parse the supernet checkpoint: ${(e as Error).message}`));
    }
    const raw = readFileSync(bf);
    const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const get = (name: string): Float32Array | null => {
      const t = ck.tensors.find((x) => x.name === name);
      return t ? all.subarray(t.offset, t.offset + t.length) : null;
    };
    for (let i = 0; i < vars.length; i++) {
      const d = get(`w${i}`);
      const v = vars[i] as tf.Variable;
      if (!d || d.length !== v.size) return fail(issue('invalid_file', bf, `supernet checkpoint does not match the search space (tensor w${i})`));
      v.assign(tf.tensor(d, v.shape));
    }
    optimizer = tf.train.adam(lr);
    if (ck.tensors.some((t) => t.name === 'm0')) {
      // Materialise the moment slots with one zero-gradient step, then overwrite them and the beta powers.
      const zeros = vars.map((v) => ({ name: v.name, tensor: tf.zerosLike(v) }));
      optimizer.applyGradients(zeros);
      zeros.forEach((z) => z.tensor.dispose());
      const opt = optimizer as unknown as { accumulatedFirstMoment: { variable: tf.Variable }[]; accumulatedSecondMoment: { variable: tf.Variable }[]; accBeta1: tf.Variable; accBeta2: tf.Variable };
      opt.accumulatedFirstMoment.forEach((m, i) => { const d = get(`m${i}`); if (d) m.variable.assign(tf.tensor(d, m.variable.shape)); });
      opt.accumulatedSecondMoment.forEach((m, i) => { const d = get(`v${i}`); if (d) m.variable.assign(tf.tensor(d, m.variable.shape)); });
      const b1 = get('b1'), b2 = get('b2');
      if (b1) opt.accBeta1.assign(tf.scalar(b1[0] ?? 0));
      if (b2) opt.accBeta2.assign(tf.scalar(b2[0] ?? 0));
      // the zero step above changed no weights (Adam's update is m/(√v+ε) = 0), but restore them to be exact
      for (let i = 0; i < vars.length; i++) { const d = get(`w${i}`); if (d) (vars[i] as tf.Variable).assign(tf.tensor(d, (vars[i] as tf.Variable).shape)); }
    }
    state = { epoch: ck.epoch, steps: ck.steps, seconds: ck.seconds };
    return ok(true);
  };

  const trainImpl = async (data: SplitLike, opts: SupernetTrainOptions, hooks: EvalHooks): Promise<Result<{ epochs: number; steps: number; seconds: number; resumed_from_epoch: number }>> => {
    let resumedFrom = 0;
    if (opts.checkpointDir) {
      const l = loadCheckpoint(opts.checkpointDir, opts.learningRate);
      if (!l.ok) return l;
      if (l.value) resumedFrom = state.epoch;
    }
    optimizer ??= tf.train.adam(opts.learningRate);
    const batches = Math.ceil(data.count / opts.batchSize);
    for (let e = state.epoch; e < opts.epochs; e++) {
      const t0 = Date.now();
      const rng = createRng((opts.seed * 7919 + e * 104729) >>> 0);
      const order = Int32Array.from({ length: data.count }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) { const j = rng.int(i + 1); const t = order[i] ?? 0; order[i] = order[j] ?? 0; order[j] = t; }
      let lossSum = 0;
      let paths = 0;
      for (let b = 0; b < batches; b++) {
        if (hooks.signal?.aborted) return fail(issue('interrupted', 'supernet', 'supernet training interrupted'));
        const { x, y } = batchTensor(data, order, b * opts.batchSize, Math.min(data.count, (b + 1) * opts.batchSize));
        const kinds: ('max' | 'rand')[] = e < opts.warmupEpochs ? ['max']
          : Array.from({ length: Math.max(1, opts.pathsPerBatch) }, (_, p) => (opts.sampling === 'widest_first' && p === 0 ? 'max' : 'rand'));
        // leaky-ReLU slope, annealed linearly to 0 by the start of the last epoch (by the end of a single epoch)
        const annealSteps = Math.max(1, opts.epochs - 1) * batches;
        const slope = opts.leakySlope * Math.max(0, 1 - (e * batches + b) / annealSteps);
        let teacher: tf.Tensor2D | null = null;
        for (const which of kinds) {
          const arch = samplePath(rng, which, opts.valid);
          if (!arch) continue;
          const target = teacher ?? y;
          const loss = optimizer.minimize(() => {
            const logits = forward(arch, x, slope);
            if (opts.distill && which === 'max' && kinds.length > 1) {
              // in-place distillation: the other paths of this batch learn from the widest child's predictions
              teacher = tf.keep(tf.tidy(() => tf.softmax(logits).mul(1 - DISTILL_LABEL_WEIGHT).add(y.mul(DISTILL_LABEL_WEIGHT)) as tf.Tensor2D));
            }
            return tf.losses.softmaxCrossEntropy(target, logits) as tf.Scalar;
          }, true, vars);
          if (loss) { lossSum += (await loss.data())[0] ?? 0; loss.dispose(); paths++; }
        }
        (teacher as tf.Tensor2D | null)?.dispose();
        x.dispose(); y.dispose();
        state.steps++;
        if (b % 5 === 0 || b === batches - 1) {
          hooks.onProgress?.({ phase: 'supernet', done: e * batches + b + 1, total: opts.epochs * batches,
            status: `epoch ${e + 1}/${opts.epochs}${e < opts.warmupEpochs ? ' (warm-up)' : ''} loss ${(lossSum / Math.max(1, paths)).toFixed(3)}` });
        }
        await new Promise((r) => setImmediate(r)); // let SIGINT handlers run
      }
      state.epoch = e + 1;
      state.seconds += (Date.now() - t0) / 1000;
      if (opts.checkpointDir) saveCheckpoint(opts.checkpointDir);
    }
    return ok({ epochs: state.epoch, steps: state.steps, seconds: Math.round(state.seconds * 10) / 10, resumed_from_epoch: resumedFrom });
  };

  return {
    spec,
    async train(data, opts, hooks) {
      refitCache.clear();
      const refitWas = useRefit;
      useRefit = false; // training always uses (and trains) the shared head
      try {
        return await trainImpl(data, opts, hooks);
      } finally {
        useRefit = refitWas;
        refitCache.clear();
      }
    },
    accuracy(arch, split, batchSize = 500) {
      let correct = 0;
      const idx = Array.from({ length: split.count }, (_, i) => i);
      for (let from = 0; from < split.count; from += batchSize) {
        const to = Math.min(split.count, from + batchSize);
        correct += tf.tidy(() => {
          const { x, y } = batchTensor(split, idx, from, to);
          const pred = forward(arch, x).argMax(1);
          return tf.sum(tf.equal(pred, y.argMax(1))).dataSync()[0] ?? 0;
        });
      }
      return split.count > 0 ? correct / split.count : 0;
    },
    logits(arch, x, count) {
      return tf.tidy(() => new Float32Array(forward(arch, tf.tensor4d(x.subarray(0, count * H * W * C), [count, H, W, C])).dataSync()));
    },
    childWeights(arch) {
      return tf.tidy(() => {
        const ws = widths(arch);
        let cin = spec.family === 'fc' ? H * W * C : C;
        const out: Float32Array[] = [];
        ws.forEach(({ k, f }, i) => {
          const kern = kernelOf(i, k, cin, f);
          // conv1d kernels are [k][n][m] in canonical order: the same memory as [k][1][n][m]
          out.push(new Float32Array(kern.dataSync()));
          cin = f;
        });
        out.push(new Float32Array((useRefit ? refitHead(arch) : headOf(cin)).dataSync()));
        return out;
      });
    },
    setHeadRefit(split, samples) {
      refit = split && samples > 0 ? { split, samples } : null;
      useRefit = refit !== null;
      refitCache.clear();
    },
    dispose() {
      vars.forEach((v) => v.dispose());
      optimizer?.dispose();
    },
  };
}

/** The supernet spec of a search space. */
export function supernetSpec(space: { family: Family; input_shape: readonly number[]; classes: number; layers: number; kernel_sizes: readonly number[]; filters: readonly number[] },
  kernelSharing: KernelSharing = 'crop'): SupernetSpec {
  const [H = 0, W = 0, C = 0] = space.input_shape;
  return { family: space.family, input: [H, W, C], classes: space.classes, layers: space.layers, kernelSizes: space.kernel_sizes, filters: space.filters, kernelSharing };
}

/** Network → action vector (helper for evaluators). */
export function archOf(net: Network): readonly number[] {
  return net.arch;
}

/**
 * Solves (A + λI) W = B for W (n × m) by Gauss-Jordan elimination with partial pivoting, λ = 1e-3 × mean diagonal of
 * A (ridge regression from the normal equations A = FᵀF, B = FᵀY). A is n × n row-major; returns W row-major.
 */
export function solveRidge(A: Float64Array, B: Float64Array, n: number, m: number): Float64Array {
  const a = Float64Array.from(A), b = Float64Array.from(B);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += a[i * n + i] ?? 0;
  const lambda = n > 0 ? Math.max(1e-3 * (tr / n), 1e-12) : 0;
  for (let i = 0; i < n; i++) a[i * n + i] = (a[i * n + i] ?? 0) + lambda;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c] ?? 0) > Math.abs(a[p * n + c] ?? 0)) p = r;
    if (p !== c) {
      for (let j = 0; j < n; j++) { const t = a[c * n + j] ?? 0; a[c * n + j] = a[p * n + j] ?? 0; a[p * n + j] = t; }
      for (let j = 0; j < m; j++) { const t = b[c * m + j] ?? 0; b[c * m + j] = b[p * m + j] ?? 0; b[p * m + j] = t; }
    }
    const d = a[c * n + c] ?? 1;
    for (let j = 0; j < n; j++) a[c * n + j] = (a[c * n + j] ?? 0) / d;
    for (let j = 0; j < m; j++) b[c * m + j] = (b[c * m + j] ?? 0) / d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c] ?? 0;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) a[r * n + j] = (a[r * n + j] ?? 0) - f * (a[c * n + j] ?? 0);
      for (let j = 0; j < m; j++) b[r * m + j] = (b[r * m + j] ?? 0) - f * (b[c * m + j] ?? 0);
    }
  }
  return b;
}
