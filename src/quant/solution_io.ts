/**
 * Reading and writing solution folders: solution.json + weights.bin (inas-q-v1) + samples.bin (firmware/Q15.md
 * "Files"). Writes are atomic (temp file + rename, solution.json last); reads check sizes and sha256 so a corrupt
 * or missing weight file gives one clear issue.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildNetwork, layerWeightCount, type Network } from '../network/index.ts';
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';
import type { QModel, QModelLayer } from './qmodel.ts';
import { weightBlockBytes } from './quantize.ts';
import { parseSolution } from './schema.ts';
import type { Solution } from './solution.ts';

/** File names inside a solution folder. */
export const SOLUTION_FILE = 'solution.json';
export const WEIGHTS_FILE = 'weights.bin';
export const SAMPLES_FILE = 'samples.bin';

/** Test inputs (float, HWC, flattened) with labels. */
export interface Samples {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
}

/** A solution read back with its decoded weights and samples (apis.md). */
export interface LoadedSolution {
  /** Absolute path of solution.json. */
  readonly path: string;
  readonly solution: Solution;
  /** The quantized model, or null for a design-only solution. */
  readonly qmodel: QModel | null;
  readonly samples: Samples | null;
}

/** A solution before its files are written: writeSolution fills `weights` and `samples`. */
export type SolutionDraft = Omit<Solution, 'weights' | 'samples'>;

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Encodes samples: count·n float32 LE, then count int32 LE labels. */
export function encodeSamples(s: Samples, inputElements: number): Uint8Array {
  const out = new Uint8Array(s.count * inputElements * 4 + s.count * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < s.count * inputElements; i++) view.setFloat32(4 * i, s.x[i] ?? 0, true);
  const base = s.count * inputElements * 4;
  for (let i = 0; i < s.count; i++) view.setInt32(base + 4 * i, s.y[i] ?? 0, true);
  return out;
}

function writeAtomic(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Writes a solution folder: weights.bin and samples.bin (when given) and solution.json, each atomically, the
 * solution last so a reader never sees it before its files. Returns the path of solution.json.
 */
export function writeSolution(dir: string, draft: SolutionDraft, weights: Uint8Array | null, samples: Samples | null): Result<string> {
  const n = draft.input_shape.reduce((p, v) => p * v, 1);
  const samplesBytes = samples ? encodeSamples(samples, n) : null;
  const solution: Solution = {
    ...draft,
    weights: weights ? { file: WEIGHTS_FILE, format: 'inas-q-v1', sha256: sha256(weights), size_bytes: weights.length } : null,
    samples: samplesBytes && samples
      ? { file: SAMPLES_FILE, count: samples.count, sha256: sha256(samplesBytes), size_bytes: samplesBytes.length } : null,
  };
  const check = parseSolution(JSON.parse(JSON.stringify(solution)) as unknown, 'solution to write');
  if (!check.ok) return check;
  const file = path.resolve(dir, SOLUTION_FILE);
  try {
    mkdirSync(dir, { recursive: true });
    if (weights) writeAtomic(path.join(dir, WEIGHTS_FILE), weights);
    if (samplesBytes) writeAtomic(path.join(dir, SAMPLES_FILE), samplesBytes);
    writeAtomic(file, JSON.stringify(solution, null, 2) + '\n');
  } catch (e) {
    return fail(issue('file_unreadable', dir, `cannot write the solution: ${(e as Error).message}`));
  }
  return ok(file);
}

/** Rebuilds the layer IR of a solution from its own fields (family, arch, input shape, classes). */
export function solutionNetwork(s: Solution, source = 'solution'): Result<Network> {
  const space = {
    ...s.settings.search_space,
    family: s.family,
    layers: s.family === 'fc' ? s.arch.length : s.arch.length / 2,
    input_shape: [...s.input_shape],
    classes: s.classes,
  };
  const r = buildNetwork(s.arch, space, { strictChoices: false });
  if (!r.ok) return fail(...r.issues.map((i) => ({ ...i, path: `${source}: ${i.path}` })));
  const net = r.value;
  if (net.layers.length !== s.layers.length || net.layers.some((l, i) => l.name !== s.layers[i]?.name || l.type !== s.layers[i]?.type)) {
    return fail(issue('invalid_file', `${source}: /layers`,
      `do not match the network of arch [${s.arch.join(', ')}] (${net.layers.map((l) => l.name).join(', ')})`));
  }
  return ok(net);
}

function readBinary(file: string, what: string, expectedBytes: number, expectedSha: string | undefined, source: string): Result<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(issue(code === 'ENOENT' ? 'file_not_found' : 'file_unreadable', file,
      `${code === 'ENOENT' ? 'missing' : 'unreadable'} ${what} referenced by ${source}`));
  }
  if (bytes.length !== expectedBytes) {
    return fail(issue('invalid_file', file, `${what} has ${bytes.length} bytes, ${source} expects ${expectedBytes} (truncated or wrong file)`,
      { actual_bytes: bytes.length, expected_bytes: expectedBytes }));
  }
  if (expectedSha !== undefined && sha256(bytes) !== expectedSha) {
    return fail(issue('checksum_mismatch', file, `${what} is corrupt: sha256 ${sha256(bytes)} does not match ${expectedSha} recorded in ${source}`));
  }
  return ok(bytes);
}

/** Decodes the weights image into a QModel (checks every layer's block against the IR). */
export function decodeQModel(net: Network, s: Solution, bytes: Uint8Array, source: string): Result<QModel> {
  const quant = s.quant;
  if (!quant) return fail(issue('invalid_file', `${source}: /quant`, 'is null'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const issues: InasIssue[] = [];
  const layers: QModelLayer[] = quant.layers.map((q, i) => {
    const l = net.layers[i]!;
    const need = layerWeightCount(l);
    const where = `${source}: /quant/layers/${i}`;
    if (q.weights_count !== need) {
      issues.push(issue('invalid_file', where, `layer ${q.name}: weights_count ${q.weights_count}, the network needs ${need}`));
      return { ...q, weights: null };
    }
    if (need === 0) return { ...q, weights: null };
    const end = q.weights_offset_bytes + weightBlockBytes(need, q.weight_bits);
    if (end > bytes.length) {
      issues.push(issue('invalid_file', where, `layer ${q.name}: weights end at byte ${end}, past the ${bytes.length}-byte weights file`));
      return { ...q, weights: null };
    }
    const w = q.weight_bits === 16 ? new Int16Array(need) : new Int8Array(need);
    for (let k = 0; k < need; k++) {
      w[k] = q.weight_bits === 16 ? view.getInt16(q.weights_offset_bytes + 2 * k, true) : view.getInt8(q.weights_offset_bytes + k);
    }
    return { ...q, weights: w };
  });
  if (issues.length) return fail(...issues);
  return ok({ net, input_frac: quant.input_frac, layers });
}

/** Reads a solution (solution.json, or a folder holding one) with its weights and samples. */
export function readSolution(p: string): Result<LoadedSolution> {
  let file = path.resolve(p);
  try {
    if (statSync(file).isDirectory()) file = path.join(file, SOLUTION_FILE);
  } catch {
    return fail(issue('file_not_found', p, 'no such solution file or folder'));
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(issue(code === 'ENOENT' ? 'file_not_found' : 'file_unreadable', file, code === 'ENOENT' ? 'no solution.json here' : 'cannot read the solution'));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail(issue('invalid_json', file, `not valid JSON: ${(e as Error).message}`));
  }
  const parsed = parseSolution(raw, file);
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  const dir = path.dirname(file);
  const netR = solutionNetwork(s, file);
  if (!netR.ok) return netR;
  let qmodel: QModel | null = null;
  if (s.quant && s.weights) {
    const bytes = readBinary(path.resolve(dir, s.weights.file), 'weights file', s.weights.size_bytes, s.weights.sha256, file);
    if (!bytes.ok) return bytes;
    const expected = s.quant.layers.reduce((sum, l) => sum + weightBlockBytes(l.weights_count, l.weight_bits), 0);
    if (expected !== s.weights.size_bytes) {
      return fail(issue('invalid_file', `${file}: /weights/size_bytes`, `is ${s.weights.size_bytes}, the quant layers need ${expected}`));
    }
    const q = decodeQModel(netR.value, s, bytes.value, file);
    if (!q.ok) return q;
    qmodel = q.value;
  }
  let samples: Samples | null = null;
  if (s.samples) {
    const n = s.input_shape.reduce((a, b) => a * b, 1);
    const size = s.samples.count * (4 * n + 4);
    const bytes = readBinary(path.resolve(dir, s.samples.file), 'samples file', size, s.samples.sha256, file);
    if (!bytes.ok) return bytes;
    const view = new DataView(bytes.value.buffer, bytes.value.byteOffset, bytes.value.byteLength);
    const x = new Float32Array(s.samples.count * n);
    for (let i = 0; i < x.length; i++) x[i] = view.getFloat32(4 * i, true);
    const y = new Int32Array(s.samples.count);
    for (let i = 0; i < y.length; i++) y[i] = view.getInt32(4 * x.length + 4 * i, true);
    samples = { x, y, count: s.samples.count };
  }
  return ok({ path: file, solution: s, qmodel, samples });
}
