/**
 * IDX files (the MNIST / Fashion-MNIST distribution format), gzip-compressed or raw.
 * Layout: 2 zero bytes, a type byte (0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64),
 * a dimension count, then one big-endian uint32 per dimension, then the values, big-endian, row-major.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { RawDataset, Split } from './types.ts';

/** A decoded IDX array. `data` holds the raw values as numbers in a typed array of the file's type. */
export interface IdxArray {
  readonly type: 'ubyte' | 'sbyte' | 'int16' | 'int32' | 'float32' | 'float64';
  readonly dims: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const IDX_TYPES = { 0x08: ['ubyte', 1], 0x09: ['sbyte', 1], 0x0b: ['int16', 2], 0x0c: ['int32', 4], 0x0d: ['float32', 4], 0x0e: ['float64', 8] } as const;

/** Decompresses a buffer if it starts with the gzip magic (1f 8b); returns it unchanged otherwise. */
export function maybeGunzip(buf: Buffer, file: string): Result<Buffer> {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      return ok(gunzipSync(buf));
    } catch (e) {
      return fail(issue('invalid_file', file, `not a valid gzip file: ${(e as Error).message}`));
    }
  }
  return ok(buf);
}

/** Parses an IDX file's bytes (already decompressed). */
export function parseIdx(buf: Buffer, file: string): Result<IdxArray> {
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    return fail(issue('invalid_file', file, 'not an IDX file: expected the magic 00 00 <type> <ndims> at the start'));
  }
  const typeCode = buf[2] ?? 0;
  const ndims = buf[3] ?? 0;
  const t = (IDX_TYPES as Record<number, readonly [IdxArray['type'], number]>)[typeCode];
  if (t === undefined) return fail(issue('invalid_file', file, `unknown IDX type byte 0x${typeCode.toString(16)}`, { type: typeCode }));
  if (ndims < 1 || buf.length < 4 + 4 * ndims) return fail(issue('invalid_file', file, `bad IDX dimension count ${ndims}`));
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  const [type, size] = t;
  const start = 4 + 4 * ndims;
  const expected = start + count * size;
  if (buf.length < expected) {
    return fail(issue('invalid_file', file, `truncated IDX file: dimensions ${dims.join('×')} need ${expected} bytes, the file has ${buf.length}`,
      { expected_bytes: expected, actual_bytes: buf.length }));
  }
  let data: IdxArray['data'];
  switch (type) {
    case 'ubyte': data = new Uint8Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + expected)); break;
    case 'sbyte': data = new Int8Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + expected)); break;
    case 'int16': data = Int16Array.from({ length: count }, (_, i) => buf.readInt16BE(start + 2 * i)); break;
    case 'int32': data = Int32Array.from({ length: count }, (_, i) => buf.readInt32BE(start + 4 * i)); break;
    case 'float32': data = Float32Array.from({ length: count }, (_, i) => buf.readFloatBE(start + 4 * i)); break;
    case 'float64': data = Float64Array.from({ length: count }, (_, i) => buf.readDoubleBE(start + 8 * i)); break;
  }
  return ok({ type, dims, data });
}

/** Reads an IDX file, gzip or raw. */
export function readIdxFile(file: string): Result<IdxArray> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    return fail(issue('file_unreadable', file, `cannot read: ${(e as Error).message}`));
  }
  const raw = maybeGunzip(buf, file);
  return raw.ok ? parseIdx(raw.value, file) : raw;
}

/** Serialises an array as IDX bytes (used by tests and tools to write files in the real format). */
export function encodeIdx(type: 'ubyte', dims: readonly number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type === 'ubyte' ? 0x08 : 0;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** The four files of an MNIST-style distribution. */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Finds `<base>.gz`, `<base>`, or the variant with a dot (`train-images.idx3-ubyte`) in a folder. */
export function findIdxFile(dir: string, base: string): string | null {
  const dotted = base.replace(/-(idx\d)/, '.$1');
  for (const name of [`${base}.gz`, base, `${dotted}.gz`, dotted]) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/** True when a folder holds all four IDX files. */
export function hasIdxSet(dir: string): boolean {
  return Object.values(IDX_FILES).every((b) => findIdxFile(dir, b) !== null);
}

function idxSplit(imagesFile: string, labelsFile: string, classes: number): Result<{ split: Split; h: number; w: number }> {
  const im = readIdxFile(imagesFile);
  if (!im.ok) return im;
  const lb = readIdxFile(labelsFile);
  if (!lb.ok) return lb;
  const imgs = im.value, labs = lb.value;
  if (imgs.type !== 'ubyte' || imgs.dims.length !== 3) {
    return fail(issue('invalid_file', imagesFile, `expected a ubyte IDX array of 3 dimensions (N×H×W), got ${imgs.type} ${imgs.dims.join('×')}`));
  }
  if (labs.type !== 'ubyte' || labs.dims.length !== 1) {
    return fail(issue('invalid_file', labelsFile, `expected a ubyte IDX array of 1 dimension (N), got ${labs.type} ${labs.dims.join('×')}`));
  }
  const [n = 0, h = 0, w = 0] = imgs.dims;
  if (labs.dims[0] !== n) {
    return fail(issue('invalid_file', labelsFile, `has ${labs.dims[0]} labels but ${imagesFile} has ${n} images`, { labels: labs.dims[0], images: n }));
  }
  const x = new Float32Array(n * h * w);
  const src = imgs.data as Uint8Array;
  for (let i = 0; i < x.length; i++) x[i] = (src[i] ?? 0) / 255;
  const y = new Int32Array(n);
  const ls = labs.data as Uint8Array;
  for (let i = 0; i < n; i++) {
    const v = ls[i] ?? 0;
    if (v >= classes) return fail(issue('invalid_file', labelsFile, `label ${v} at index ${i} is out of range 0..${classes - 1}`, { label: v, index: i }));
    y[i] = v;
  }
  return ok({ split: { x, y, count: n }, h, w });
}

/** Loads the four IDX files of an MNIST-style folder: images /255 → [0, 1], shape [H, W, 1], 10 classes. */
export function loadIdxFolder(dir: string): Result<RawDataset> {
  const f = (b: string): string => findIdxFile(dir, b) ?? path.join(dir, `${b}.gz`);
  const tr = idxSplit(f(IDX_FILES.trainImages), f(IDX_FILES.trainLabels), 10);
  if (!tr.ok) return tr;
  const te = idxSplit(f(IDX_FILES.testImages), f(IDX_FILES.testLabels), 10);
  if (!te.ok) return te;
  if (tr.value.h !== te.value.h || tr.value.w !== te.value.w) {
    return fail(issue('invalid_file', dir, `train images are ${tr.value.h}×${tr.value.w} but test images are ${te.value.h}×${te.value.w}`));
  }
  return ok({ input_shape: [tr.value.h, tr.value.w, 1], classes: 10, train: tr.value.split, test: te.value.split, source: dir });
}
