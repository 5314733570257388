/** Writers of small datasets in the REAL distribution formats (byte layouts of the official files), for tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRng } from '../../src/settings/index.ts';
import { encodeIdx, encodeWav16, HAR_SIGNALS, KWS_WORDS } from '../../src/data/index.ts';

/** The pixel byte of CIFAR image `i`, channel `c` (0 R, 1 G, 2 B), at row `r`, col `q` (a known pattern). */
export const cifarPixel = (i: number, c: number, r: number, q: number): number => (i * 7 + c * 50 + r * 3 + q) % 256;

/** Writes cifar-10-batches-bin/ with `perBatch` records in each of the 6 files; label of record i = (i + batch) % 10. */
export function writeCifar(root: string, perBatch: number): string {
  const dir = path.join(root, 'cifar-10-batches-bin');
  mkdirSync(dir, { recursive: true });
  const files = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];
  files.forEach((f, b) => {
    const buf = Buffer.alloc(perBatch * 3073);
    for (let i = 0; i < perBatch; i++) {
      const g = b * perBatch + i;
      buf[i * 3073] = (i + b) % 10;
      for (let c = 0; c < 3; c++) for (let r = 0; r < 32; r++) for (let q = 0; q < 32; q++) buf[i * 3073 + 1 + c * 1024 + r * 32 + q] = cifarPixel(g, c, r, q);
    }
    writeFileSync(path.join(dir, f), buf);
  });
  writeFileSync(path.join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
  return dir;
}

/** Writes the four MNIST-style IDX files (gzip or raw); image i has every pixel = (i * 13 + label) % 256. */
export function writeIdx(dir: string, nTrain: number, nTest: number, gz: boolean, h = 28, w = 28): void {
  mkdirSync(dir, { recursive: true });
  const put = (name: string, bytes: Buffer): void => writeFileSync(path.join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
  for (const [prefix, n] of [['train', nTrain], ['t10k', nTest]] as const) {
    const labels = new Uint8Array(n), images = new Uint8Array(n * h * w);
    for (let i = 0; i < n; i++) {
      labels[i] = (i * 3 + (prefix === 'train' ? 0 : 1)) % 10;
      images.fill((i * 13 + (labels[i] ?? 0)) % 256, i * h * w, (i + 1) * h * w);
    }
    put(`${prefix}-images-idx3-ubyte`, encodeIdx('ubyte', [n, h, w], images));
    put(`${prefix}-labels-idx1-ubyte`, encodeIdx('ubyte', [n], labels));
  }
}

/** Formats a number like the UCI HAR files ("  1.8085150e-004"). */
const harNum = (v: number): string => {
  const s = v.toExponential(7);
  const [m, e = '0'] = s.split('e');
  const en = Number(e);
  return ` ${v >= 0 ? ' ' : ''}${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(3, '0')}`;
};

/** Writes `UCI HAR Dataset/` with random signals: train channel c has mean c and std 1+c/4; test is shifted by `testShift`. */
export function writeHar(root: string, nTrain: number, nTest: number, testShift: number, seed = 7): string {
  const base = path.join(root, 'UCI HAR Dataset');
  const rng = createRng(seed);
  for (const [split, n, shift] of [['train', nTrain, 0], ['test', nTest, testShift]] as const) {
    const sig = path.join(base, split, 'Inertial Signals');
    mkdirSync(sig, { recursive: true });
    writeFileSync(path.join(base, split, `y_${split}.txt`), Array.from({ length: n }, (_, i) => `${(i % 6) + 1}\n`).join(''));
    HAR_SIGNALS.forEach((s, c) => {
      const lines: string[] = [];
      for (let i = 0; i < n; i++) {
        const vals: string[] = [];
        for (let t = 0; t < 128; t++) vals.push(harNum(c + shift + (1 + c / 4) * rng.normal() + 0.01 * t));
        lines.push(vals.join('') + '\n');
      }
      writeFileSync(path.join(sig, `${s}_${split}.txt`), lines.join(''));
    });
  }
  writeFileSync(path.join(base, 'activity_labels.txt'), '1 WALKING\n2 WALKING_UPSTAIRS\n3 WALKING_DOWNSTAIRS\n4 SITTING\n5 STANDING\n6 LAYING\n');
  return base;
}

/** A sine tone of `freqHz` at 16 kHz, `n` samples, amplitude `amp`. */
export function tone(freqHz: number, n = 16000, amp = 0.5): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freqHz * i) / 16000));
}

/**
 * Writes a Speech Commands tree: per word `perWord` clips (a tone whose frequency depends on the word), two
 * unknown words, the lists, and two background-noise files. Clip k of each word goes to test if k % 5 == 0,
 * validation if k % 5 == 1, else train.
 */
export function writeSpeechCommands(root: string, perWord: number): { counts: Record<'train' | 'validation' | 'test', number> } {
  mkdirSync(root, { recursive: true });
  const counts = { train: 0, validation: 0, test: 0 };
  const val: string[] = [], test: string[] = [];
  const words = [...KWS_WORDS, 'bed', 'cat'];
  words.forEach((w, wi) => {
    mkdirSync(path.join(root, w), { recursive: true });
    for (let k = 0; k < perWord; k++) {
      const f = `${w}/${(0x1000 + k).toString(16)}ab_nohash_0.wav`;
      writeFileSync(path.join(root, f), encodeWav16(tone(200 + 150 * wi, 16000 - 800 * (k % 3)), 16000));
      const isWord = wi < KWS_WORDS.length;
      if (k % 5 === 0) { test.push(f); if (isWord) counts.test++; } else if (k % 5 === 1) { val.push(f); if (isWord) counts.validation++; } else if (isWord) counts.train++;
    }
  });
  writeFileSync(path.join(root, 'validation_list.txt'), val.join('\n') + '\n');
  writeFileSync(path.join(root, 'testing_list.txt'), test.join('\n') + '\n');
  const bg = path.join(root, '_background_noise_');
  mkdirSync(bg, { recursive: true });
  const rng = createRng(3);
  for (const name of ['white_noise.wav', 'pink_noise.wav']) {
    writeFileSync(path.join(bg, name), encodeWav16(Float32Array.from({ length: 48000 }, () => rng.next() * 0.6 - 0.3), 16000));
  }
  writeFileSync(path.join(root, 'LICENSE'), 'CC BY 4.0\n');
  return { counts };
}
