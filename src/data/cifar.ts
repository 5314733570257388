/**
 * CIFAR-10 binary version (`cifar-10-batches-bin/`): data_batch_1..5.bin (train, 10 000 records each) and
 * test_batch.bin. A record is 1 label byte (0..9) then 3072 pixel bytes: the 1024 red values, then green, then blue,
 * each a 32×32 row-major plane (CHW). We store HWC floats x/255 in [0, 1].
 */
import { existsSync, readFileSync } from 'node:fs';
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

/** Decodes CIFAR-10 binary records (any number) into a split. */
export function decodeCifarRecords(buf: Buffer, file: string): Result<Split> {
  if (buf.length % CIFAR_RECORD_BYTES !== 0) {
    return fail(issue('invalid_file', file, `size ${buf.length} bytes is not a multiple of the ${CIFAR_RECORD_BYTES}-byte CIFAR-10 record`,
      { size_bytes: buf.length }));
  }
  const n = buf.length / CIFAR_RECORD_BYTES;
  const x = new Float32Array(n * 3072);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * CIFAR_RECORD_BYTES;
    const label = buf[base] ?? 0;
    if (label > 9) return fail(issue('invalid_file', file, `record ${i}: label ${label} is out of range 0..9`, { record: i, label }));
    y[i] = label;
    const out = i * 3072;
    for (let p = 0; p < 1024; p++) {
      x[out + 3 * p] = (buf[base + 1 + p] ?? 0) / 255;
      x[out + 3 * p + 1] = (buf[base + 1 + 1024 + p] ?? 0) / 255;
      x[out + 3 * p + 2] = (buf[base + 1 + 2048 + p] ?? 0) / 255;
    }
  }
  return ok({ x, y, count: n });
}

function concatSplits(parts: readonly Split[]): Split {
  const count = parts.reduce((a, s) => a + s.count, 0);
  const per = parts.length > 0 && (parts[0]?.count ?? 0) > 0 ? (parts[0]?.x.length ?? 0) / (parts[0]?.count ?? 1) : 0;
  const x = new Float32Array(count * per);
  const y = new Int32Array(count);
  let off = 0;
  for (const s of parts) {
    x.set(s.x, off * per);
    y.set(s.y, off);
    off += s.count;
  }
  return { x, y, count };
}

/** Loads CIFAR-10 from a folder that `findCifarDir` accepted. */
export function loadCifarDir(binDir: string, onProgress?: OnDataProgress): Result<RawDataset> {
  const files = [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE];
  const splits: Split[] = [];
  for (const [i, f] of files.entries()) {
    const p = path.join(binDir, f);
    let buf: Buffer;
    try {
      buf = readFileSync(p);
    } catch (e) {
      return fail(issue('file_unreadable', p, `cannot read: ${(e as Error).message}`));
    }
    const s = decodeCifarRecords(buf, p);
    if (!s.ok) return s;
    splits.push(s.value);
    onProgress?.({ phase: 'decode', label: f, done: i + 1, total: files.length, unit: 'files' });
  }
  const test = splits.pop() as Split;
  return ok({ input_shape: [32, 32, 3], classes: 10, train: concatSplits(splits), test, source: binDir });
}
