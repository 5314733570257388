/**
 * Keyword spotting features from Google Speech Commands v0.02 (reference §4.6).
 *
 * Classes (the TensorFlow speech_commands convention): 0 silence, 1 unknown, 2..11 the words yes, no, up, down,
 * left, right, on, off, stop, go. Splits: a clip listed in testing_list.txt is test, in validation_list.txt is
 * validation, every other clip (outside `_background_noise_`) is train. Per split: every clip of the 10 words;
 * ceil(10 %) as many "unknown" clips drawn from the other words; ceil(10 %) as many "silence" clips, each a
 * random 1 s segment of a random `_background_noise_` file scaled by a volume uniform in [0, 0.1].
 * Train clips are augmented once (the original baked augmentation into its cached features): a time shift uniform
 * in ±100 ms (zero fill) and, with probability 0.8, background noise at a volume uniform in [0, 0.1].
 * All draws use the fixed seed KWS_SEED, so the features are the same on every machine.
 * Features: 25 frames × 10 MFCC (mfcc.ts), shape [250, 1, 1], standardised per feature with train statistics.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRng, fail, issue, ok, type Result, type Rng } from '../settings/index.ts';
import { featureStats, standardise } from './har.ts';
import { createMfcc, KWS_MFCC } from './mfcc.ts';
import type { OnDataProgress, RawDataset, Split } from './types.ts';
import { parseWav } from './wav.ts';

export const KWS_WORDS = ['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go'] as const;
export const KWS_CLASS_NAMES = ['_silence_', '_unknown_', ...KWS_WORDS] as const;
export const KWS_SEED = 59185;
export const KWS_SILENCE_FRACTION = 0.1;
export const KWS_UNKNOWN_FRACTION = 0.1;
export const KWS_TIME_SHIFT_SAMPLES = 1600;
export const KWS_NOISE_PROBABILITY = 0.8;
export const KWS_NOISE_VOLUME = 0.1;
const BACKGROUND = '_background_noise_';

/** The Speech Commands root under `dir` (or `dir` itself), or null. */
export function findSpeechCommandsDir(dir: string): string | null {
  for (const d of [path.join(dir, 'speech_commands_v0.02'), dir]) {
    if (existsSync(path.join(d, 'testing_list.txt')) && existsSync(path.join(d, 'validation_list.txt')) && existsSync(path.join(d, BACKGROUND))) return d;
  }
  return null;
}

interface ClipRef { readonly rel: string; readonly label: number }

/** Lists the clips per split and the background-noise files; also the cache key material. */
export function indexSpeechCommands(root: string): Result<{ splits: Record<'train' | 'validation' | 'test', ClipRef[]>; unknown: Record<'train' | 'validation' | 'test', ClipRef[]>; noise: string[]; fingerprint: string }> {
  const readList = (f: string): Result<Set<string>> => {
    try {
      return ok(new Set(readFileSync(path.join(root, f), 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '')));
    } catch (e) {
      return fail(issue('file_unreadable', path.join(root, f), `cannot read: ${(e as Error).message}`));
    }
  };
  const val = readList('validation_list.txt');
  if (!val.ok) return val;
  const test = readList('testing_list.txt');
  if (!test.ok) return test;
  const splits = { train: [] as ClipRef[], validation: [] as ClipRef[], test: [] as ClipRef[] };
  const unknown = { train: [] as ClipRef[], validation: [] as ClipRef[], test: [] as ClipRef[] };
  const fp: string[] = [];
  const folders = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('_')).map((d) => d.name).sort();
  for (const folder of folders) {
    const files = readdirSync(path.join(root, folder)).filter((f) => f.toLowerCase().endsWith('.wav')).sort();
    fp.push(`${folder}:${files.length}`);
    const wordIdx = (KWS_WORDS as readonly string[]).indexOf(folder);
    for (const f of files) {
      const rel = `${folder}/${f}`;
      const split = test.value.has(rel) ? 'test' : val.value.has(rel) ? 'validation' : 'train';
      if (wordIdx >= 0) splits[split].push({ rel, label: wordIdx + 2 });
      else unknown[split].push({ rel, label: 1 });
    }
  }
  const noiseDir = path.join(root, BACKGROUND);
  const noise = readdirSync(noiseDir).filter((f) => f.toLowerCase().endsWith('.wav')).sort().map((f) => path.join(noiseDir, f));
  if (noise.length === 0) return fail(issue('dataset_missing', noiseDir, 'no .wav files in _background_noise_ (needed for the silence class)'));
  for (const f of ['validation_list.txt', 'testing_list.txt', ...noise.map((n) => path.relative(root, n))]) {
    const s = statSync(path.join(root, f));
    fp.push(`${f}:${s.size}`);
  }
  return ok({ splits, unknown, noise, fingerprint: fp.join(',') });
}

function shuffleInPlace<T>(a: T[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i] as T; a[i] = a[j] as T; a[j] = t;
  }
}

/** Computes the KWS features of a Speech Commands folder (slow: reads every selected clip; cache the result). */
/** Reads a WAV file and checks its sample rate; returns its samples. */
function readClip(f: string, rate: number): Result<Float32Array> {
  let w;
  try {
    w = parseWav(readFileSync(f), f);
  } catch (e) {
    return fail(issue('file_unreadable', f, `cannot read: ${(e as Error).message}`));
  }
  if (!w.ok) return w;
  if (w.value.sample_rate_hz !== rate) return fail(issue('invalid_file', f, `sample rate ${w.value.sample_rate_hz} Hz, expected ${rate} Hz`));
  return ok(w.value.samples);
}

export function computeKwsFeatures(root: string, onProgress?: OnDataProgress): Result<RawDataset & { validation: Split }> {
  const idx = indexSpeechCommands(root);
  if (!idx.ok) return idx;
  const rate = KWS_MFCC.sample_rate_hz, clipLen = KWS_MFCC.clip_samples;
  const noise: Float32Array[] = [];
  for (const f of idx.value.noise) {
    const w = readClip(f, rate);
    if (!w.ok) return w;
    if (w.value.length < clipLen) return fail(issue('invalid_file', f, `background noise is ${w.value.length} samples long, expected at least ${clipLen} (1 s)`));
    noise.push(w.value);
  }
  const rng = createRng(KWS_SEED);
  const noiseSegment = (volume: number): Float32Array => {
    const src = noise[rng.int(noise.length)] as Float32Array;
    const off = rng.int(src.length - clipLen + 1);
    const out = new Float32Array(clipLen);
    for (let i = 0; i < clipLen; i++) out[i] = (src[off + i] ?? 0) * volume;
    return out;
  };
  type Item = { rel: string | null; label: number };
  const plan = (name: 'train' | 'validation' | 'test'): Item[] => {
    const words: Item[] = idx.value.splits[name].map((c) => ({ rel: c.rel, label: c.label }));
    const unk = [...idx.value.unknown[name]];
    shuffleInPlace(unk, rng);
    const nUnk = Math.min(unk.length, Math.ceil(words.length * KWS_UNKNOWN_FRACTION));
    const nSil = Math.ceil(words.length * KWS_SILENCE_FRACTION);
    const items: Item[] = [...words, ...unk.slice(0, nUnk).map((c) => ({ rel: c.rel, label: 1 }))];
    for (let i = 0; i < nSil; i++) items.push({ rel: null, label: 0 });
    shuffleInPlace(items, rng);
    return items;
  };
  const plans = { train: plan('train'), validation: plan('validation'), test: plan('test') };
  const total = plans.train.length + plans.validation.length + plans.test.length;
  const mfcc = createMfcc(KWS_MFCC);
  const per = mfcc.frames * KWS_MFCC.coefficients;
  let done = 0;
  const build = (name: 'train' | 'validation' | 'test'): Result<Split> => {
    const items = plans[name];
    const x = new Float32Array(items.length * per);
    const y = new Int32Array(items.length);
    const clip = new Float32Array(clipLen);
    for (const [i, it] of items.entries()) {
      clip.fill(0);
      if (it.rel === null) {
        clip.set(noiseSegment(rng.next() * KWS_NOISE_VOLUME));
      } else {
        const f = path.join(root, it.rel);
        const w = readClip(f, rate);
        if (!w.ok) return w;
        const s = w.value;
        const shift = name === 'train' ? rng.int(2 * KWS_TIME_SHIFT_SAMPLES + 1) - KWS_TIME_SHIFT_SAMPLES : 0;
        for (let t = 0; t < clipLen; t++) {
          const src = t - shift;
          if (src >= 0 && src < s.length) clip[t] = s[src] ?? 0;
        }
        if (name === 'train' && rng.next() < KWS_NOISE_PROBABILITY) {
          const n = noiseSegment(rng.next() * KWS_NOISE_VOLUME);
          for (let t = 0; t < clipLen; t++) clip[t] = Math.max(-1, Math.min(1, (clip[t] ?? 0) + (n[t] ?? 0)));
        }
      }
      mfcc.compute(clip, x.subarray(i * per, (i + 1) * per));
      y[i] = it.label;
      done++;
      if (onProgress && (done % 500 === 0 || done === total)) onProgress({ phase: 'features', label: 'MFCC', done, total, unit: 'clips' });
    }
    return ok({ x, y, count: items.length });
  };
  const train = build('train');
  if (!train.ok) return train;
  const validation = build('validation');
  if (!validation.ok) return validation;
  const test = build('test');
  if (!test.ok) return test;
  const stats = featureStats(train.value);
  for (const s of [train.value, validation.value, test.value]) standardise(s, stats);
  return ok({ input_shape: [per, 1, 1], classes: KWS_CLASS_NAMES.length, train: train.value, validation: validation.value, test: test.value, source: root });
}
