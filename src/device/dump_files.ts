/**
 * What the device module reads from a dump folder (written by `inas dump`): manifest.json (weights image name, size
 * and CRC-32, settings digest, per-layer predictions), weights.bin and golden.bin. Only the fields used here are
 * checked; the dumper owns the full contract.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';
import { crc32 } from './protocol.ts';

export interface DumpLayerInfo {
  readonly name: string;
  readonly type: string;
  readonly design: string | null;
  readonly predicted: { readonly latency_s: number | null; readonly power_cycles: number | null; readonly energy_per_cycle_j: number | null };
}

export interface DumpInfo {
  readonly dir: string;
  readonly inas_version: string;
  readonly settings_digest: string;
  readonly layers: readonly DumpLayerInfo[];
  readonly predicted: { readonly latency_s: number | null; readonly power_cycles: number | null };
  readonly weights: { readonly path: string; readonly size_bytes: number; readonly crc32: number };
  readonly golden: { readonly path: string; readonly count: number; readonly classes: number } | null;
  /** The solution file the dump came from, when recorded. */
  readonly source: string | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads and checks `<dir>/manifest.json`. */
export function readDumpInfo(dir: string): Result<DumpInfo> {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return fail(issue('file_not_found', dir, `dump folder ${dir} does not exist (create it with \`inas dump <solution.json>\`)`));
  if (!existsSync(file)) return fail(issue('file_not_found', file, `${file} is missing: ${dir} is not an inas dump folder (create one with \`inas dump <solution.json>\`)`));
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(issue('invalid_json', file, `cannot parse ${file}: ${(e as Error).message}`));
  }
  const bad = (p: string, expected: string): Result<DumpInfo> => fail(issue('invalid_file', `${file}: ${p}`, `expected ${expected}`));
  if (!isObj(m) || m['kind'] !== 'inas-dump') return bad('/kind', '"inas-dump"');
  const w = m['weights'];
  if (!isObj(w) || typeof w['file'] !== 'string' || num(w['size_bytes']) === null || num(w['crc32']) === null) return bad('/weights', '{ file, size_bytes, crc32 }');
  const layersRaw = m['layers'];
  if (!Array.isArray(layersRaw)) return bad('/layers', 'an array');
  const layers: DumpLayerInfo[] = [];
  for (const [i, l] of layersRaw.entries()) {
    if (!isObj(l) || typeof l['name'] !== 'string') return bad(`/layers/${i}`, '{ name, type, design, predicted }');
    const pr = isObj(l['predicted']) ? l['predicted'] : {};
    layers.push({
      name: l['name'],
      type: typeof l['type'] === 'string' ? l['type'] : '',
      design: typeof l['design'] === 'string' ? l['design'] : null,
      predicted: { latency_s: num(pr['latency_s']), power_cycles: num(pr['power_cycles']), energy_per_cycle_j: num(pr['energy_per_cycle_j']) },
    });
  }
  const pred = isObj(m['predicted']) ? m['predicted'] : {};
  const g = m['golden'];
  const golden = isObj(g) && typeof g['file'] === 'string' && num(g['count']) !== null && num(g['classes']) !== null
    ? { path: path.join(dir, g['file']), count: num(g['count'])!, classes: num(g['classes'])! }
    : null;
  return ok({
    dir,
    inas_version: typeof m['inas_version'] === 'string' ? m['inas_version'] : '',
    settings_digest: typeof m['settings_digest'] === 'string' ? m['settings_digest'] : '',
    layers,
    predicted: { latency_s: num(pred['latency_s']), power_cycles: num(pred['power_cycles']) },
    weights: { path: path.join(dir, w['file'] as string), size_bytes: w['size_bytes'] as number, crc32: w['crc32'] as number },
    golden,
    source: typeof m['source'] === 'string' ? m['source'] : null,
  });
}

/** Reads the weights image and checks it against the manifest (size and CRC-32). */
export function readWeightsImage(info: DumpInfo): Result<Uint8Array> {
  const f = info.weights.path;
  if (!existsSync(f)) return fail(issue('file_not_found', f, `weights image ${f} is missing (re-run \`inas dump\`)`));
  const bytes = new Uint8Array(readFileSync(f));
  const problems: InasIssue[] = [];
  if (bytes.length !== info.weights.size_bytes) problems.push(issue('checksum_mismatch', f, `is ${bytes.length} bytes; manifest.json says ${info.weights.size_bytes}`));
  else if (crc32(bytes) !== info.weights.crc32 >>> 0) problems.push(issue('checksum_mismatch', f, `CRC-32 is 0x${crc32(bytes).toString(16).padStart(8, '0')}; manifest.json says 0x${(info.weights.crc32 >>> 0).toString(16).padStart(8, '0')} (the file changed after the dump)`));
  return problems.length ? fail(...problems) : ok(bytes);
}

/** Golden vectors: expected class and logits per built-in input. */
export interface GoldenVectors {
  readonly count: number;
  readonly classes: number;
  readonly logits: readonly Int16Array[];
  readonly cls: readonly number[];
}

/** Reads golden.bin: "INASGLD1", u32 count, u32 input_elems, u32 classes, then per vector int16 input[], int16 logits[], u16 class, u16 0. */
export function readGolden(file: string): Result<GoldenVectors> {
  if (!existsSync(file)) return fail(issue('file_not_found', file, `golden vectors ${file} are missing (re-run \`inas dump\`)`));
  const b = readFileSync(file);
  if (b.length < 20 || b.subarray(0, 8).toString('latin1') !== 'INASGLD1') return fail(issue('invalid_file', file, 'expected the "INASGLD1" golden-vector format'));
  const count = b.readUInt32LE(8), inputElems = b.readUInt32LE(12), classes = b.readUInt32LE(16);
  const rec = 2 * inputElems + 2 * classes + 4;
  if (b.length !== 20 + count * rec) return fail(issue('invalid_file', file, `size ${b.length} does not match ${count} vectors of ${rec} bytes`));
  const logits: Int16Array[] = [], cls: number[] = [];
  for (let i = 0; i < count; i++) {
    const o = 20 + i * rec + 2 * inputElems;
    const l = new Int16Array(classes);
    for (let k = 0; k < classes; k++) l[k] = b.readInt16LE(o + 2 * k);
    logits.push(l);
    cls.push(b.readUInt16LE(o + 2 * classes));
  }
  return ok({ count, classes, logits, cls });
}

/** Finds a firmware ELF for the MSP430 inside a dump folder (as written by `inas build --target msp430`). */
export function findElf(dir: string): string | null {
  const walk = (d: string, depth: number): string[] => {
    if (depth > 3 || !existsSync(d)) return [];
    return readdirSync(d).flatMap((n) => {
      const p = path.join(d, n);
      const s = statSync(p);
      return s.isDirectory() ? walk(p, depth + 1) : /\.(elf|out)$/.test(n) ? [p] : [];
    });
  };
  const all = walk(dir, 0).filter((p) => !/sim/i.test(path.basename(p)));
  all.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return all[0] ?? null;
}
