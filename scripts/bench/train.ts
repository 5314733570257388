/**
 * Training throughput (samples/s) per available backend on MCU-size children of each search space, and the time of
 * one epoch of MNIST / Fashion-MNIST (issue 3). `npm run bench -- train`.
 *
 * Backends: wasm always; tensorflow (tfjs-node) when it loads (scripts/build-tfjs-node.sh); cpu (pure JS) only with
 * INAS_BENCH_CPU=1 (it is ~100× slower). Each figure is min/median over repeats of a few training steps (Adam,
 * random data of the model's shape), after warm-up steps. Wall-clock rates depend on what else runs on the machine,
 * so the samples per CPU-second of this process are printed as well. INAS_BENCH_EPOCHS=0 skips the epoch timings.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { summarize } from '../bench_stats.ts';
import { buildNetwork, type Network } from '../../src/network/index.ts';
import { DEFAULT_SETTINGS, type BackendName, type SearchSpaceSettings } from '../../src/settings/index.ts';
import { loadDataset } from '../../src/data/index.ts';
import { buildModel, initBackend, logitsModel, nativeAvailable, summarizeNetwork, trainModel } from '../../src/train/index.ts';

interface BenchModel {
  readonly name: string;
  readonly arch: number[];
  readonly space: SearchSpaceSettings;
  /** Batch size of the original's child training (§3.4) or of the shipped settings. */
  readonly batch: number;
}

const MODELS: BenchModel[] = [
  { name: 'mnist 2-conv', arch: [3, 8, 3, 16], batch: 128,
    space: { ...DEFAULT_SETTINGS.search_space, layers: 2, input_shape: [28, 28, 1], classes: 10 } },
  { name: 'cifar child', arch: [5, 4, 3, 16, 7, 16, 7, 24, 7, 24], batch: 256, space: DEFAULT_SETTINGS.search_space },
  { name: 'har child', arch: [5, 8, 3, 24, 5, 16], batch: 512,
    space: { family: 'conv1d', layers: 3, kernel_sizes: [1, 3, 5, 7], filters: [4, 8, 16, 24], input_shape: [128, 1, 9], classes: 6 } },
  { name: 'kws child', arch: [128, 64, 96, 48], batch: 100,
    space: { family: 'fc', layers: 4, kernel_sizes: [], filters: [48, 64, 96, 128], input_shape: [250, 1, 1], classes: 12 } },
];

function network(m: BenchModel): Network {
  const r = buildNetwork(m.arch, m.space);
  if (!r.ok) throw new Error(`${m.name}: ${JSON.stringify(r.issues)}`);
  return r.value;
}

/** Samples/s (wall) and samples per CPU-second of `steps` Adam steps, repeated. */
function measureSteps(net: Network, batch: number, steps: number, repeats: number): { wall: number[]; cpu: number[] } {
  const model = buildModel(net, { seed: 1 });
  const logits = logitsModel(model);
  const opt = tf.train.adam(0.001);
  const xs = tf.randomUniform([batch, ...net.input], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % net.classes), 'int32'), net.classes);
  const step = (): void => {
    const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, logits.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true);
    l?.dataSync();
    l?.dispose();
  };
  for (let i = 0; i < 2; i++) step();
  const wall: number[] = [], cpu: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    const wallS = (performance.now() - t0) / 1000;
    const u = process.cpuUsage(c0);
    wall.push((batch * steps) / wallS);
    cpu.push((batch * steps) / ((u.user + u.system) / 1e6));
  }
  tf.dispose([xs, ys]);
  opt.dispose();
  model.dispose();
  return { wall, cpu };
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export async function run(): Promise<void> {
  const backends: BackendName[] = [];
  if (nativeAvailable()) backends.push('tensorflow');
  backends.push('wasm');
  if (process.env['INAS_BENCH_CPU'] === '1') backends.push('cpu');
  if (!nativeAvailable()) console.log('tensorflow: not available (build it with scripts/build-tfjs-node.sh)');

  const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' / ');
  console.log(`machine: ${os.cpus().length} CPUs, load average (1/5/15 min) ${load()} at the start`);
  const medians = new Map<string, number>();
  console.log('model            | params |    MACs | batch | backend    | samples/s min / median (wall) | samples per CPU-s (median)');
  for (const m of MODELS) {
    const net = network(m);
    const s = summarizeNetwork(net);
    for (const b of backends) {
      const init = await initBackend(b);
      if (!init.ok || tf.getBackend() !== b) throw new Error(`backend ${b} did not initialise: ${init.ok ? tf.getBackend() : JSON.stringify(init.issues)}`);
      const batch = m.batch;
      const flopsPerSample = 3 * 2 * s.macs;
      // About 2 s of work per repeat at the expected rate, at least one step.
      const guess = b === 'cpu' ? 20 : b === 'wasm' ? 4e9 / flopsPerSample : 2e10 / flopsPerSample;
      const steps = Math.max(1, Math.round((2 * guess) / batch));
      const r = measureSteps(net, batch, steps, b === 'cpu' ? 1 : 5);
      const w = summarize(r.wall), c = summarize(r.cpu);
      medians.set(`${m.name}/${b}`, w.median);
      console.log(`${m.name.padEnd(16)} | ${String(s.params).padStart(6)} | ${String(s.macs).padStart(7)} | ${String(batch).padStart(5)} | ` +
        `${b.padEnd(10)} | ${fmt(w.min).padStart(8)} / ${fmt(w.median).padStart(8)} (${steps} steps × ${r.wall.length}) | ${fmt(c.median)}`);
    }
  }
  if (backends.includes('tensorflow')) {
    for (const m of MODELS) {
      const n = medians.get(`${m.name}/tensorflow`), w = medians.get(`${m.name}/wasm`);
      if (n && w) console.log(`ratio tensorflow / wasm, ${m.name}: ${(n / w).toFixed(2)}×`);
    }
  }

  console.log(`load average after the throughput runs: ${load()}`);
  if (process.env['INAS_BENCH_EPOCHS'] === '0') return;
  // One epoch of MNIST (the embedded npm digits unless IDX files are in the data folder) and Fashion-MNIST
  // (the Debian dataset-fashion-mnist package or the data folder), mnist 2-conv net, batch 128, validation included.
  const mnistNet = network(MODELS[0] as BenchModel);
  for (const name of ['mnist', 'fashion-mnist'] as const) {
    const ds = await loadDataset({ ...DEFAULT_SETTINGS.dataset, name }, { seed: 1 });
    if (!ds.ok) {
      console.log(`epoch ${name}: skipped (${ds.issues[0]?.message ?? 'not available'})`);
      continue;
    }
    for (const b of backends.filter((x) => x !== 'cpu')) {
      const init = await initBackend(b);
      if (!init.ok) throw new Error(`backend ${b}`);
      const model = buildModel(mnistNet, { seed: 1 });
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = await trainModel(model, { train: ds.value.train, validation: ds.value.validation },
        { epochs: 1, batchSize: 128, learningRate: 0.001, patience: 0, seed: 1 });
      const epochS = (performance.now() - t0) / 1000;
      const u = process.cpuUsage(c0);
      console.log(`epoch ${name} (${ds.value.train.count} train + ${ds.value.validation.count} validation samples) on ${b}: ` +
        `${epochS.toFixed(1)} s wall, ${((u.user + u.system) / 1e6).toFixed(1)} s CPU (${fmt(r.samples_per_s)} samples/s training, wall), ` +
        `validation accuracy ${(100 * (r.best_val_accuracy ?? 0)).toFixed(1)} %; load average ${load()}`);
      model.dispose();
    }
  }
}
