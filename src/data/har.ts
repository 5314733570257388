/**
 * UCI HAR ("Human Activity Recognition Using Smartphones"): `UCI HAR Dataset/{train,test}/Inertial Signals/
 * <signal>_{train,test}.txt`, one sample per line, 128 whitespace-separated values per line, for the 9 signals
 * below (that order is our channel order), and `y_{train,test}.txt` with labels 1..6 (stored 0..5).
 * Layout: [128 steps, 1, 9 channels] (HWC). Both splits are standardised per (step, channel) with the mean and
 * (population) standard deviation of the TRAIN split — unlike the original, which used each split's own statistics.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { OnDataProgress, RawDataset, Split } from './types.ts';

export const HAR_SIGNALS = [
  'body_acc_x', 'body_acc_y', 'body_acc_z',
  'body_gyro_x', 'body_gyro_y', 'body_gyro_z',
  'total_acc_x', 'total_acc_y', 'total_acc_z',
] as const;
export const HAR_STEPS = 128;
export const HAR_CLASSES = 6;

/** The `UCI HAR Dataset` folder under `dir` (or `dir` itself), or null. */
export function findHarDir(dir: string): string | null {
  for (const d of [path.join(dir, 'UCI HAR Dataset'), dir]) {
    if (existsSync(path.join(d, 'train', 'y_train.txt')) && existsSync(path.join(d, 'test', 'y_test.txt'))) return d;
  }
  return null;
}

/** Every file the loader reads (for cache keys and messages). */
export function harFiles(harDir: string): string[] {
  const out: string[] = [];
  for (const split of ['train', 'test']) {
    out.push(path.join(harDir, split, `y_${split}.txt`));
    for (const s of HAR_SIGNALS) out.push(path.join(harDir, split, 'Inertial Signals', `${s}_${split}.txt`));
  }
  return out;
}

function readNumbers(file: string): Result<{ rows: number; cols: number; values: Float64Array }> {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch (e) {
    return fail(issue('file_unreadable', file, `cannot read: ${(e as Error).message}`));
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const first = lines[0]?.trim().split(/\s+/) ?? [];
  const cols = first.length;
  const values = new Float64Array(lines.length * cols);
  for (const [r, line] of lines.entries()) {
    const toks = line.trim().split(/\s+/);
    if (toks.length !== cols) {
      return fail(issue('invalid_file', `${file}:${r + 1}`, `expected ${cols} values like line 1, found ${toks.length}`, { expected: cols, actual: toks.length }));
    }
    for (let c = 0; c < cols; c++) {
      const v = Number(toks[c]);
      if (!Number.isFinite(v)) return fail(issue('invalid_file', `${file}:${r + 1}`, `value ${c + 1} "${toks[c]}" is not a number`));
      values[r * cols + c] = v;
    }
  }
  return ok({ rows: lines.length, cols, values });
}

function readSplit(harDir: string, split: 'train' | 'test', onProgress?: OnDataProgress): Result<Split> {
  const yFile = path.join(harDir, split, `y_${split}.txt`);
  const ys = readNumbers(yFile);
  if (!ys.ok) return ys;
  const n = ys.value.rows;
  if (ys.value.cols !== 1) return fail(issue('invalid_file', yFile, `expected one label per line, found ${ys.value.cols} values`));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = ys.value.values[i] ?? 0;
    if (!Number.isInteger(v) || v < 1 || v > HAR_CLASSES) {
      return fail(issue('invalid_file', `${yFile}:${i + 1}`, `label ${v} is not an activity 1..${HAR_CLASSES}`, { label: v }));
    }
    y[i] = v - 1;
  }
  const C = HAR_SIGNALS.length;
  const x = new Float32Array(n * HAR_STEPS * C);
  for (const [c, s] of HAR_SIGNALS.entries()) {
    const f = path.join(harDir, split, 'Inertial Signals', `${s}_${split}.txt`);
    const m = readNumbers(f);
    if (!m.ok) return m;
    if (m.value.rows !== n || m.value.cols !== HAR_STEPS) {
      return fail(issue('invalid_file', f, `expected ${n} lines (as ${path.basename(yFile)}) of ${HAR_STEPS} values, found ${m.value.rows} lines of ${m.value.cols}`,
        { expected_rows: n, rows: m.value.rows, expected_cols: HAR_STEPS, cols: m.value.cols }));
    }
    const v = m.value.values;
    for (let i = 0; i < n; i++) for (let t = 0; t < HAR_STEPS; t++) x[(i * HAR_STEPS + t) * C + c] = v[i * HAR_STEPS + t] ?? 0;
    onProgress?.({ phase: 'decode', label: `${split}/${s}`, done: c + 1, total: C, unit: 'files' });
  }
  return ok({ x, y, count: n });
}

/** Per-feature mean and population standard deviation of a split (std 0 → 1). */
export function featureStats(s: Split): { mean: Float64Array; std: Float64Array } {
  const per = s.count > 0 ? s.x.length / s.count : 0;
  const mean = new Float64Array(per), sq = new Float64Array(per);
  for (let i = 0; i < s.count; i++) {
    for (let f = 0; f < per; f++) {
      const v = s.x[i * per + f] ?? 0;
      mean[f] = (mean[f] ?? 0) + v;
      sq[f] = (sq[f] ?? 0) + v * v;
    }
  }
  const std = new Float64Array(per);
  for (let f = 0; f < per; f++) {
    const m = (mean[f] ?? 0) / Math.max(1, s.count);
    mean[f] = m;
    const varf = (sq[f] ?? 0) / Math.max(1, s.count) - m * m;
    const sd = Math.sqrt(Math.max(0, varf));
    std[f] = sd > 1e-12 ? sd : 1;
  }
  return { mean, std };
}

/** Standardises a split in place with given statistics. */
export function standardise(s: Split, stats: { mean: Float64Array; std: Float64Array }): void {
  const per = stats.mean.length;
  const x = s.x;
  for (let i = 0; i < s.count; i++) {
    for (let f = 0; f < per; f++) x[i * per + f] = ((x[i * per + f] ?? 0) - (stats.mean[f] ?? 0)) / (stats.std[f] ?? 1);
  }
}

/** Loads UCI HAR from a folder that `findHarDir` accepted; standardised with train statistics. */
export function loadHarDir(harDir: string, onProgress?: OnDataProgress): Result<RawDataset> {
  const train = readSplit(harDir, 'train', onProgress);
  if (!train.ok) return train;
  const test = readSplit(harDir, 'test', onProgress);
  if (!test.ok) return test;
  const stats = featureStats(train.value);
  standardise(train.value, stats);
  standardise(test.value, stats);
  return ok({ input_shape: [HAR_STEPS, 1, HAR_SIGNALS.length], classes: HAR_CLASSES, train: train.value, test: test.value, source: harDir });
}
