/**
 * A binary cache of decoded datasets (CIFAR-10 records, parsed HAR text, KWS MFCC features), kept in the data folder
 * so a second load is fast. Layout: "INASDS03", uint32 LE header length, a JSON header (space-padded so the arrays
 * start at a multiple of 4 bytes), then per split in header order: x (float32) and y (int32), little-endian; the
 * arrays are returned as views of the file's bytes (no decoding, no copy). The header carries the `key` (format
 * version + size and mtime of each source file) and the payload length. Files are written to a temp file and
 * renamed, so a cache is never half-written; one whose magic, header, key or length does not match (stale,
 * truncated, damaged, an older format) is ignored and rebuilt.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { issue, type InasIssue } from '../settings/index.ts';
import type { RawDataset, Split } from './types.ts';

const MAGIC = 'INASDS03';
type SplitName = 'train' | 'validation' | 'test';

interface CacheHeader {
  key: string;
  input_shape: [number, number, number];
  classes: number;
  splits: { name: SplitName; count: number }[];
  source: string;
  /** Bytes after the header. */
  payload_bytes: number;
}

/** A cache key from a version tag and the size+mtime of each source file (missing files count as "absent"). */
export function cacheKey(tag: string, files: readonly string[]): string {
  const parts = files.map((f) => {
    try {
      const s = statSync(f);
      return `${path.basename(f)}:${s.size}:${Math.floor(s.mtimeMs)}`;
    } catch {
      return `${path.basename(f)}:absent`;
    }
  });
  return [tag, ...parts].join('|');
}

/** Reads a cache file; null when absent, unreadable, malformed, of another length (damaged) or stale (key mismatch). */
export function readCache(file: string, key: string): RawDataset | null {
  if (!existsSync(file)) return null;
  try {
    const buf = readFileSync(file);
    if (buf.length < 12 || buf.subarray(0, 8).toString('latin1') !== MAGIC) return null;
    const hlen = buf.readUInt32LE(8);
    if (12 + hlen > buf.length) return null;
    const header = JSON.parse(buf.subarray(12, 12 + hlen).toString('utf8')) as CacheHeader;
    if (header.key !== key || typeof header.payload_bytes !== 'number' || 12 + hlen + header.payload_bytes !== buf.length) return null;
    const [h, w, c] = header.input_shape;
    const per = h * w * c;
    let off = buf.byteOffset + 12 + hlen;
    const end = buf.byteOffset + buf.length;
    // Views when the data is 4-byte aligned in the buffer (it is for a file read whole), else copies.
    const take = <T extends Float32Array | Int32Array>(n: number, make: (b: ArrayBuffer, o: number, n: number) => T): T => {
      if (!(Number.isInteger(n) && n >= 0) || off + 4 * n > end) throw new Error('truncated cache');
      const arr = off % 4 === 0 ? make(buf.buffer as ArrayBuffer, off, n) : make(buf.buffer.slice(off, off + 4 * n) as ArrayBuffer, 0, n);
      off += 4 * n;
      return arr;
    };
    const splits: Partial<Record<SplitName, Split>> = {};
    for (const s of header.splits) {
      const x = take(s.count * per, (b, o, n) => new Float32Array(b, o, n));
      const y = take(s.count, (b, o, n) => new Int32Array(b, o, n));
      splits[s.name] = { x, y, count: s.count };
    }
    if (off !== end || !splits.train || !splits.test) return null;
    const base = { input_shape: header.input_shape, classes: header.classes, train: splits.train, test: splits.test, source: header.source };
    return splits.validation ? { ...base, validation: splits.validation } : base;
  } catch {
    return null;
  }
}

/**
 * Writes a cache file atomically (temp file + rename). Returns null on success, or one issue saying that the cache
 * could not be written and why (the dataset is still usable; the next load decodes it again).
 */
export function writeCache(file: string, key: string, d: RawDataset): InasIssue | null {
  const named: [SplitName, Split][] = [['train', d.train], ...(d.validation ? [['validation', d.validation] as [SplitName, Split]] : []), ['test', d.test]];
  const view = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const parts = named.flatMap(([, s]) => [view(s.x), view(s.y)]);
  const header: CacheHeader = {
    key, input_shape: d.input_shape, classes: d.classes, splits: named.map(([name, s]) => ({ name, count: s.count })), source: d.source,
    payload_bytes: parts.reduce((a, p) => a + p.length, 0),
  };
  let hjson = JSON.stringify(header);
  while ((Buffer.byteLength(hjson) + 12) % 4 !== 0) hjson += ' ';
  const hbuf = Buffer.from(hjson, 'utf8');
  const lenBuf = Buffer.alloc(4);
  lenBuf.writeUInt32LE(hbuf.length);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, Buffer.concat([Buffer.from(MAGIC, 'latin1'), lenBuf, hbuf, ...parts]));
    renameSync(tmp, file);
    return null;
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* nothing to clean */ }
    const err = e as NodeJS.ErrnoException;
    return issue('file_unwritable', file,
      `cannot write the decoded-data cache (${err.code ?? err.message}); the dataset loads, but is decoded again next time: ` +
      `make ${path.dirname(file)} writable or use another data folder (dataset.dir, --data-dir or INAS_DATA)`,
      { error: err.code ?? err.message });
  }
}
