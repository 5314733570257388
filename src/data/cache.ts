/**
 * A binary cache of decoded datasets (parsed HAR text, KWS MFCC features, the embedded MNIST), kept in the data
 * folder so a second load is fast. Layout: "INASDS02", uint32 LE header length, a JSON header (space-padded so the
 * arrays start at a multiple of 4 bytes), then per split in header order: x (float32) and y (int32), little-endian.
 * A cache is used only when its `key` (format version + fingerprints of the source files) matches.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RawDataset, Split } from './types.ts';

const MAGIC = 'INASDS02';
type SplitName = 'train' | 'validation' | 'test';

interface CacheHeader {
  key: string;
  input_shape: [number, number, number];
  classes: number;
  splits: { name: SplitName; count: number }[];
  source: string;
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

/** Reads a cache file; null when absent, unreadable, malformed or stale. */
export function readCache(file: string, key: string): RawDataset | null {
  if (!existsSync(file)) return null;
  try {
    const buf = readFileSync(file);
    if (buf.subarray(0, 8).toString('latin1') !== MAGIC) return null;
    const hlen = buf.readUInt32LE(8);
    const header = JSON.parse(buf.subarray(12, 12 + hlen).toString('utf8')) as CacheHeader;
    if (header.key !== key) return null;
    const per = header.input_shape[0] * header.input_shape[1] * header.input_shape[2];
    let off = 12 + hlen;
    const take = (n: number): ArrayBuffer => {
      const ab = buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + n * 4) as ArrayBuffer;
      if (ab.byteLength !== n * 4) throw new Error('truncated cache');
      off += n * 4;
      return ab;
    };
    const splits: Partial<Record<SplitName, Split>> = {};
    for (const s of header.splits) {
      const x = new Float32Array(take(s.count * per));
      const y = new Int32Array(take(s.count));
      splits[s.name] = { x, y, count: s.count };
    }
    if (off !== buf.length || !splits.train || !splits.test) return null;
    const base = { input_shape: header.input_shape, classes: header.classes, train: splits.train, test: splits.test, source: header.source };
    return splits.validation ? { ...base, validation: splits.validation } : base;
  } catch {
    return null;
  }
}

/** Writes a cache file atomically (temp file + rename). Returns false when the folder is not writable. */
export function writeCache(file: string, key: string, d: RawDataset): boolean {
  const named: [SplitName, Split][] = [['train', d.train], ...(d.validation ? [['validation', d.validation] as [SplitName, Split]] : []), ['test', d.test]];
  const header: CacheHeader = {
    key, input_shape: d.input_shape, classes: d.classes, splits: named.map(([name, s]) => ({ name, count: s.count })), source: d.source,
  };
  let hjson = JSON.stringify(header);
  while ((Buffer.byteLength(hjson) + 12) % 4 !== 0) hjson += ' ';
  const hbuf = Buffer.from(hjson, 'utf8');
  const lenBuf = Buffer.alloc(4);
  lenBuf.writeUInt32LE(hbuf.length);
  const view = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, Buffer.concat([Buffer.from(MAGIC, 'latin1'), lenBuf, hbuf, ...named.flatMap(([, s]) => [view(s.x), view(s.y)])]));
    renameSync(tmp, file);
    return true;
  } catch {
    try { unlinkSync(tmp); } catch { /* nothing to clean */ }
    return false;
  }
}
