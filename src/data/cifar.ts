/**
 * CIFAR-10 binary version (`cifar-10-batches-bin/`): data_batch_1..5.bin (train, 10 000 records each) and
 * test_batch.bin. A record is 1 label byte (0..9) then 3072 pixel bytes: the 1024 red values, then green, then blue,
 * each a 32×32 row-major plane (CHW). We store HWC floats x/255 in [0, 1].
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { OnDataProgress, RawDataset, Split } from './types.ts';

export const CIFAR_RECORD_BYTES = 3073;
export const CIFAR_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'] as const;
export const CIFAR_TEST_FILE = 'test_batch.bin';

/** The folder holding the .bin files: `<dir>/cifar-10-batches-bin` or `<dir>` itself; null when neither has them. */
export function findCifarDir(dir: string): string | null {
  for (const d of [path.join(dir, 'cifar-10-batches-bin'), dir]) {
    if ([...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].every((f) => existsSync(path.join(d, f)))) return d;
  }
  return null;
}

function sizeIssue(buf: Uint8Array, file: string): Result<never> {
  return fail(issue('invalid_file', file, `size ${buf.length} bytes is not a multiple of the ${CIFAR_RECORD_BYTES}-byte CIFAR-10 record`,
    { size_bytes: buf.length }));
}

/** Decodes the records of `buf` into x/y starting at sample `at` (HWC floats x/255); an issue for a bad label. */
function decodeInto(buf: Uint8Array, file: string, x: Float32Array, y: Int32Array, at: number): Result<number> {
  const n = buf.length / CIFAR_RECORD_BYTES;
  for (let i = 0; i < n; i++) {
    const base = i * CIFAR_RECORD_BYTES;
    const label = buf[base] as number;
    if (label > 9) return fail(issue('invalid_file', file, `record ${i}: label ${label} is out of range 0..9`, { record: i, label }));
    y[at + i] = label;
    let out = (at + i) * 3072;
    const r = base + 1, g = base + 1025, b = base + 2049;
    for (let p = 0; p < 1024; p++, out += 3) {
      x[out] = (buf[r + p] as number) / 255;
      x[out + 1] = (buf[g + p] as number) / 255;
      x[out + 2] = (buf[b + p] as number) / 255;
    }
  }
  return ok(n);
}

/** Decodes CIFAR-10 binary records (any number) into a split. */
export function decodeCifarRecords(buf: Buffer, file: string): Result<Split> {
  if (buf.length % CIFAR_RECORD_BYTES !== 0) return sizeIssue(buf, file);
  const n = buf.length / CIFAR_RECORD_BYTES;
  const x = new Float32Array(n * 3072);
  const y = new Int32Array(n);
  const r = decodeInto(buf, file, x, y, 0);
  return r.ok ? ok({ x, y, count: n }) : r;
}

/** Loads CIFAR-10 from a folder that `findCifarDir` accepted (the five train batches decoded into one split). */
export function loadCifarDir(binDir: string, onProgress?: OnDataProgress): Result<RawDataset> {
  const read = (f: string): Result<Buffer> => {
    const p = path.join(binDir, f);
    try {
      const buf = readFileSync(p);
      return buf.length % CIFAR_RECORD_BYTES === 0 ? ok(buf) : sizeIssue(buf, p);
    } catch (e) {
      return fail(issue('file_unreadable', p, `cannot read: ${(e as Error).message}`));
    }
  };
  const total = CIFAR_TRAIN_FILES.length + 1;
  // Sizes first (a stat per file), so the train split is decoded straight into one array.
  let trainCount = 0;
  for (const f of CIFAR_TRAIN_FILES) {
    try {
      const size = statSync(path.join(binDir, f)).size;
      if (size % CIFAR_RECORD_BYTES !== 0) return sizeIssue({ length: size } as Uint8Array, path.join(binDir, f));
      trainCount += size / CIFAR_RECORD_BYTES;
    } catch (e) {
      return fail(issue('file_unreadable', path.join(binDir, f), `cannot read: ${(e as Error).message}`));
    }
  }
  const x = new Float32Array(trainCount * 3072);
  const y = new Int32Array(trainCount);
  let at = 0;
  for (const [i, f] of CIFAR_TRAIN_FILES.entries()) {
    const buf = read(f);
    if (!buf.ok) return buf;
    if (at + buf.value.length / CIFAR_RECORD_BYTES > trainCount) {
      return fail(issue('invalid_file', path.join(binDir, f), 'the file grew while it was being read'));
    }
    const r = decodeInto(buf.value, path.join(binDir, f), x, y, at);
    if (!r.ok) return r;
    at += r.value;
    onProgress?.({ phase: 'decode', label: f, done: i + 1, total, unit: 'files' });
  }
  if (at !== trainCount) return fail(issue('invalid_file', binDir, 'a train batch shrank while it was being read'));
  const testBuf = read(CIFAR_TEST_FILE);
  if (!testBuf.ok) return testBuf;
  const test = decodeCifarRecords(testBuf.value, path.join(binDir, CIFAR_TEST_FILE));
  if (!test.ok) return test;
  onProgress?.({ phase: 'decode', label: CIFAR_TEST_FILE, done: total, total, unit: 'files' });
  return ok({ input_shape: [32, 32, 3], classes: 10, train: { x, y, count: trainCount }, test: test.value, source: binDir });
}
