/**
 * The TS engine of fault campaigns: runs the integer-exact Q15 reference (src/quant) with faults applied to weights,
 * activations or per-layer scale metadata. Fast path: every input's golden activations and CONV/FC accumulators are
 * cached; a run starts at the first faulty layer and, per layer, updates the golden accumulators only by what the
 * faults change (Σx'w' = Σxw + Σ(x'−x)w' + Σx(w'−w), exact modulo 2^32), requantises only the touched outputs,
 * and stops as soon as no value differs from the golden run and no later layer is faulty. Bit-identical with the
 * full reference (`fast: false`, tested on random fault sets).
 */
import { runLayer, argmax, Q15_MAX, Q15_MIN, type QModel, type QModelLayer } from '../quant/index.ts';
import { applyWordFault } from './bits.ts';
import { crc32 } from './crc32.ts';
import { drawFaults, runRng, type DrawnFault, type FaultTensor } from './sample.ts';
import type { FaultSpec } from './spec.ts';

/** Runtime protections the engine models. */
export const PROTECTIONS = ['none', 'crc'] as const;
export type Protection = (typeof PROTECTIONS)[number];

/**
 * Detected, unrecoverable outcomes: a refusal at boot (weights CRC, descriptor/progress check), a hang (no end within
 * the budget), a reset loop (no forward progress across power failures), another runtime error status, a crash of
 * the firmware process.
 */
export type DueKind = 'crc_refusal' | 'check_refusal' | 'hang' | 'reset_loop' | 'runtime_error' | 'crash';

/** A fault as applied: where, which bits, the word before and after. */
export interface AppliedFault {
  readonly target: FaultSpec['target'];
  readonly layer: string;
  readonly layer_index: number;
  readonly index: number;
  readonly bits: readonly number[];
  readonly kind: DrawnFault['kind'];
  readonly old: number;
  readonly new: number;
  /** Inference index for transient faults, -1 for permanent. */
  readonly sample: number;
  /** Firmware engine: NVM byte address of the word, when it was applied (boot | perm | write K), state field. */
  readonly nvm_addr?: number;
  readonly when?: string;
  readonly field?: string;
}

/** The inputs a campaign evaluates on, with their golden (fault-free) results. */
export interface EvalSet {
  readonly inputs: readonly Int16Array[];
  readonly labels: Int32Array;
  /** Golden class per input. */
  readonly golden: Int32Array;
  /** Golden activations per input per layer (from a traced reference run). */
  readonly goldenActs: readonly (readonly Int16Array[])[];
  /** Golden 32-bit accumulators per input per layer (CONV/FC; null for other layers). */
  readonly goldenAcc: readonly (readonly (Int32Array | null)[])[];
  /** Per-layer scratch buffers of the fast path (reused by every run; one run at a time per set). */
  readonly scratch: Scratch;
}

interface Scratch {
  readonly out: Int16Array[];
  readonly acc: Int32Array[];
  readonly mark: Uint8Array[];
  readonly touched: Int32Array[];
  readonly changed: Int32Array[];
}

/** The pre-requantisation accumulators of a CONV/FC layer (the loop nest of src/quant's convLayer, same order). */
function convAccumulators(layer: QModel['net']['layers'][number], w: Int16Array | Int8Array, x: Int16Array, acc: Int32Array): void {
  const W = layer.ifm.w, C = layer.ifm.ch;
  const KH = layer.kernel.h, KW = layer.kernel.w, M = layer.kernel.n, S = layer.stride;
  const OH = layer.ofm.h, OW = layer.ofm.w;
  const rowLen = KW * C;
  acc.fill(0);
  for (let r = 0; r < OH; r++) {
    for (let c = 0; c < OW; c++) {
      const o = (r * OW + c) * M;
      for (let kh = 0; kh < KH; kh++) {
        const xBase = ((r * S + kh) * W + c * S) * C;
        const wBase = kh * rowLen * M;
        for (let j = 0; j < rowLen; j++) {
          const xv = x[xBase + j]!;
          if (xv === 0) continue;
          const wb = wBase + j * M;
          for (let m = 0; m < M; m++) acc[o + m] = acc[o + m]! + xv * w[wb + m]!;
        }
      }
    }
  }
}

/** Requantisation of one accumulator exactly as convLayer (round-half-up shift, saturation, ReLU). */
function requantOne(a: number, shift: number, relu: boolean): number {
  let y = shift > 0 ? (a >> shift) + ((a >> (shift - 1)) & 1) : a * 2 ** -shift;
  if (y > Q15_MAX) y = Q15_MAX; else if (y < Q15_MIN) y = Q15_MIN;
  if (relu && y < 0) y = 0;
  return y;
}

/** Outcome of one run (one fault pattern evaluated over the whole eval set). */
export interface RunOutcome {
  readonly run: number;
  readonly faults: readonly AppliedFault[];
  /** Inferences that produced an output. */
  readonly inferences: number;
  readonly correct: number;
  /** Outputs whose class differs from the golden class (silent data corruption). */
  readonly sdc: number;
  readonly due: DueKind | null;
  /** Firmware engine with torn writes: NVM writes the run's power failures tore. */
  readonly torn_writes?: number;
}

/** Builds the eval set: quantized inputs, labels and traced golden runs. */
export function buildEvalSet(q: QModel, inputs: readonly Int16Array[], labels: Int32Array): EvalSet {
  const golden = new Int32Array(inputs.length);
  const goldenActs: Int16Array[][] = [];
  const goldenAcc: (Int32Array | null)[][] = [];
  inputs.forEach((x, i) => {
    const acts: Int16Array[] = [];
    const accs: (Int32Array | null)[] = [];
    let cur = x;
    for (let l = 0; l < q.net.layers.length; l++) {
      const layer = q.net.layers[l]!, ql = q.layers[l]!;
      const out = runLayer(layer, ql, cur);
      if ((layer.type === 'CONV' || layer.type === 'FC') && ql.weights) {
        const acc = new Int32Array(out.length);
        convAccumulators(layer, ql.weights, cur, acc);
        for (let k = 0; k < out.length; k++) {
          if (requantOne(acc[k]!, ql.shift, ql.relu) !== out[k]) throw new Error(`buildEvalSet: accumulators of ${layer.name} disagree with the reference`);
        }
        accs.push(acc);
      } else accs.push(null);
      cur = out;
      acts.push(cur);
    }
    golden[i] = argmax(cur);
    goldenActs.push(acts);
    goldenAcc.push(accs);
  });
  const sizes = q.net.layers.map((l) => l.ofm.h * l.ofm.w * l.ofm.ch);
  const scratch: Scratch = {
    out: sizes.map((n) => new Int16Array(n)), acc: sizes.map((n) => new Int32Array(n)), mark: sizes.map((n) => new Uint8Array(n)),
    touched: sizes.map((n) => new Int32Array(n)), changed: sizes.map((n) => new Int32Array(n)),
  };
  return { inputs, labels, golden, goldenActs, goldenAcc, scratch };
}

const SHIFT_MIN = -15, SHIFT_MAX = 31;

interface Prepared {
  layers: QModelLayer[];
  applied: AppliedFault[];
  due: DueKind | null;
  firstLayer: number;
  /** Last layer with a fault (weights, scale or activations). */
  lastLayer: number;
  actFaults: Map<number, DrawnFault[]>;
  /** Per layer: canonical weight indices whose value changed, and the change (new − old). */
  weightDeltas: Map<number, { index: Int32Array; delta: Int32Array }>;
}

/** Applies permanent weight/scale faults to a copy of the affected layers; activation faults are kept for the hook. */
function prepare(q: QModel, space: readonly FaultTensor[], spec: FaultSpec, faults: readonly DrawnFault[], protect: Protection, cleanCrc: readonly number[]): Prepared {
  const layers = q.layers.slice();
  const applied: AppliedFault[] = [];
  const actFaults = new Map<number, DrawnFault[]>();
  let due: DueKind | null = null;
  let firstLayer = q.layers.length, lastLayer = -1;
  const touched = new Set<number>();
  const changedIdx = new Map<number, Set<number>>();
  for (const f of faults) {
    const t = space[f.tensor]!;
    const li = t.layerIndex;
    firstLayer = Math.min(firstLayer, li);
    lastLayer = Math.max(lastLayer, li);
    if (spec.target === 'activations') {
      const list = actFaults.get(li) ?? [];
      list.push(f);
      actFaults.set(li, list);
      continue;
    }
    if (!touched.has(li)) {
      const src = layers[li]!;
      layers[li] = { ...src, weights: spec.target === 'weights' && src.weights ? (src.weights.slice() as Int16Array | Int8Array) : src.weights };
      touched.add(li);
    }
    const L = layers[li]!;
    if (spec.target === 'weights' && L.weights) {
      const old = L.weights[f.index]!;
      const nv = applyWordFault(old, t.width, f.kind, f.bits, f.randomWord);
      L.weights[f.index] = nv;
      const set = changedIdx.get(li) ?? new Set<number>();
      set.add(f.index);
      changedIdx.set(li, set);
      applied.push({ target: 'weights', layer: t.layer, layer_index: li, index: f.index, bits: f.bits, kind: f.kind, old, new: nv, sample: f.sample });
    } else if (spec.target === 'scales') {
      const old = L.shift;
      const nv = applyWordFault(old, 8, f.kind, f.bits, f.randomWord);
      layers[li] = { ...L, shift: nv };
      applied.push({ target: 'scales', layer: t.layer, layer_index: li, index: 0, bits: f.bits, kind: f.kind, old, new: nv, sample: f.sample });
      // The boot-time layer check refuses shifts outside the spec's range (firmware/Q15.md).
      if (nv < SHIFT_MIN || nv > SHIFT_MAX) due = 'check_refusal';
    }
  }
  if (protect === 'crc' && spec.target === 'weights' && faults.length && faults[0]!.sample < 0) {
    for (const li of touched) {
      const w = layers[li]!.weights;
      if (w && crc32(w) !== cleanCrc[li]) due = 'crc_refusal';
    }
  }
  const weightDeltas = new Map<number, { index: Int32Array; delta: Int32Array }>();
  for (const [li, set] of changedIdx) {
    const w0 = q.layers[li]!.weights!, w1 = layers[li]!.weights!;
    const idx = [...set].filter((i) => w1[i] !== w0[i]);
    if (idx.length) weightDeltas.set(li, { index: Int32Array.from(idx), delta: Int32Array.from(idx, (i) => w1[i]! - w0[i]!) });
  }
  return { layers, applied, due, firstLayer, lastLayer, actFaults, weightDeltas };
}

/**
 * The fast path: from layer `p.firstLayer` on, only what differs from the golden run is recomputed (see the module
 * comment). Returns the class; records activation faults in `applied` when given.
 */
function inferFast(q: QModel, p: Prepared, set: EvalSet, sample: number, space: readonly FaultTensor[], applied: AppliedFault[] | null): number {
  const n = q.net.layers.length;
  const first = p.firstLayer;
  if (first >= n) return set.golden[sample]!;
  const acts = set.goldenActs[sample]!;
  const sc = set.scratch;
  let x: Int16Array = first === 0 ? set.inputs[sample]! : acts[first - 1]!;
  let xg: Int16Array = x;
  let changed: Int32Array = sc.changed[0]!;
  let nChanged = 0;
  for (let l = first; l < n; l++) {
    const layer = q.net.layers[l]!, ql = p.layers[l]!, gq = q.layers[l]!;
    const gout = acts[l]!;
    const deltas = p.weightDeltas.get(l);
    const afs = p.actFaults.get(l);
    const shiftChanged = ql.shift !== gq.shift;
    if (nChanged === 0 && !deltas && !afs && !shiftChanged) {
      if (l >= p.lastLayer) return set.golden[sample]!;
      x = gout; xg = gout;
      continue;
    }
    const out = sc.out[l]!, mark = sc.mark[l]!, touched = sc.touched[l]!, outChanged = sc.changed[l]!;
    let nOut = 0;
    const conv = (layer.type === 'CONV' || layer.type === 'FC') && ql.weights;
    if (conv && nChanged * 2 <= x.length) {
      const w = ql.weights!;
      const W = layer.ifm.w, C = layer.ifm.ch, KH = layer.kernel.h, KW = layer.kernel.w, M = layer.kernel.n, S = layer.stride;
      const OH = layer.ofm.h, OW = layer.ofm.w;
      const acc = sc.acc[l]!;
      acc.set(set.goldenAcc[sample]![l]!);
      let nt = 0;
      // Changed inputs: acc += (x' − x)·w' over every output window containing them.
      for (let k = 0; k < nChanged; k++) {
        const e = changed[k]!;
        const dx = x[e]! - xg[e]!;
        const ch = e % C, pix = (e - ch) / C, xx = pix % W, yy = (pix - xx) / W;
        for (let kh = 0; kh < KH; kh++) {
          const rr = yy - kh;
          if (rr < 0 || rr % S !== 0 || rr / S >= OH) continue;
          const r = rr / S;
          for (let kw = 0; kw < KW; kw++) {
            const cc = xx - kw;
            if (cc < 0 || cc % S !== 0 || cc / S >= OW) continue;
            const o = (r * OW + cc / S) * M;
            const wb = ((kh * KW + kw) * C + ch) * M;
            for (let m = 0; m < M; m++) {
              acc[o + m] = (acc[o + m]! + dx * w[wb + m]!) | 0;
              if (!mark[o + m]) { mark[o + m] = 1; touched[nt++] = o + m; }
            }
          }
        }
      }
      // Changed weights: acc += x·(w' − w) at every output position.
      if (deltas) {
        for (let k = 0; k < deltas.index.length; k++) {
          const idx = deltas.index[k]!, dw = deltas.delta[k]!;
          const m = idx % M, rest = (idx - m) / M;
          const ch = rest % C, tap = (rest - ch) / C, kw = tap % KW, kh = (tap - kw) / KW;
          for (let r = 0; r < OH; r++) {
            for (let c = 0; c < OW; c++) {
              const o = (r * OW + c) * M + m;
              acc[o] = (acc[o]! + xg[((r * S + kh) * W + c * S + kw) * C + ch]! * dw) | 0;
              if (!mark[o]) { mark[o] = 1; touched[nt++] = o; }
            }
          }
        }
      }
      out.set(gout);
      if (shiftChanged) {
        for (let o = 0; o < out.length; o++) out[o] = requantOne(acc[o]!, ql.shift, ql.relu);
        for (let k = 0; k < nt; k++) mark[touched[k]!] = 0;
        for (let o = 0; o < out.length; o++) if (out[o] !== gout[o]) { outChanged[nOut++] = o; mark[o] = 1; }
      } else {
        for (let k = 0; k < nt; k++) {
          const o = touched[k]!;
          const y = requantOne(acc[o]!, ql.shift, ql.relu);
          out[o] = y;
          if (y !== gout[o]) outChanged[nOut++] = o; else mark[o] = 0;
        }
      }
    } else {
      // Full recompute of the layer (pooling, or too many changed inputs), then the differences.
      out.set(runLayer(layer, ql, x));
      for (let o = 0; o < out.length; o++) if (out[o] !== gout[o]) { outChanged[nOut++] = o; mark[o] = 1; }
    }
    if (afs) {
      for (const f of afs) {
        const old = out[f.index]!;
        const nv = applyWordFault(old, 16, f.kind, f.bits, f.randomWord);
        out[f.index] = nv;
        if (nv !== gout[f.index] && !mark[f.index]) { mark[f.index] = 1; outChanged[nOut++] = f.index; }
        applied?.push({ target: 'activations', layer: space[f.tensor]!.layer, layer_index: l, index: f.index, bits: f.bits, kind: f.kind, old, new: nv, sample: f.sample < 0 ? -1 : sample });
      }
    }
    // Drop entries that an activation fault turned back into the golden value; clear the marks.
    let kept = 0;
    for (let k = 0; k < nOut; k++) {
      const o = outChanged[k]!;
      mark[o] = 0;
      if (out[o] !== gout[o]) outChanged[kept++] = o;
    }
    nChanged = kept;
    changed = outChanged;
    x = out; xg = gout;
    if (nChanged === 0 && l >= p.lastLayer) return set.golden[sample]!;
  }
  return argmax(x);
}

/** Runs layers from `first` on, starting from golden activations, with activation faults applied by hook. */
function inferFrom(q: QModel, layers: readonly QModelLayer[], set: EvalSet, sample: number, first: number,
  actFaults: Map<number, DrawnFault[]>, space: readonly FaultTensor[], applied: AppliedFault[] | null): number {
  const n = q.net.layers.length;
  if (first >= n) return set.golden[sample]!;
  let x = first === 0 ? set.inputs[sample]! : set.goldenActs[sample]![first - 1]!;
  for (let l = first; l < n; l++) {
    x = runLayer(q.net.layers[l]!, layers[l]!, x);
    const fs = actFaults.get(l);
    if (fs) {
      for (const f of fs) {
        const old = x[f.index]!;
        const nv = applyWordFault(old, 16, f.kind, f.bits, f.randomWord);
        x[f.index] = nv;
        applied?.push({ target: 'activations', layer: space[f.tensor]!.layer, layer_index: l, index: f.index, bits: f.bits, kind: f.kind, old, new: nv, sample: f.sample < 0 ? -1 : sample });
      }
    }
  }
  return argmax(x);
}

/** Per-layer CRC-32 of the clean weights (for the `crc` protection). */
export function cleanWeightCrcs(q: QModel): number[] {
  return q.layers.map((l) => (l.weights ? crc32(l.weights) : 0));
}

/** Evaluates one run: draws its faults from (seed, run), applies them, and classifies every input of the eval set. */
export function runOnce(q: QModel, space: readonly FaultTensor[], spec: FaultSpec, set: EvalSet, seed: number, run: number,
  protect: Protection, cleanCrc: readonly number[], fast = true): RunOutcome {
  const count = set.inputs.length;
  let correct = 0, sdc = 0;
  if (spec.persistence === 'permanent') {
    const faults = drawFaults(space, spec, runRng(seed, run));
    const p = prepare(q, space, spec, faults, protect, cleanCrc);
    if (p.due) return { run, faults: p.applied, inferences: 0, correct: 0, sdc: 0, due: p.due };
    const actLog: AppliedFault[] = [];
    for (let s = 0; s < count; s++) {
      const cls = fast ? inferFast(q, p, set, s, space, s === 0 ? actLog : null) : inferFrom(q, p.layers, set, s, p.firstLayer, p.actFaults, space, s === 0 ? actLog : null);
      if (cls === set.labels[s]) correct++;
      if (cls !== set.golden[s]) sdc++;
    }
    return { run, faults: [...p.applied, ...actLog], inferences: count, correct, sdc, due: null };
  }
  const all: AppliedFault[] = [];
  let inferences = 0;
  let due: DueKind | null = null;
  for (let s = 0; s < count; s++) {
    const faults = drawFaults(space, spec, runRng(seed, run, s), s);
    const p = prepare(q, space, spec, faults, 'none', cleanCrc);
    all.push(...p.applied);
    if (p.due) { due = p.due; continue; }
    const cls = fast ? inferFast(q, p, set, s, space, all) : inferFrom(q, p.layers, set, s, p.firstLayer, p.actFaults, space, all);
    inferences++;
    if (cls === set.labels[s]) correct++;
    if (cls !== set.golden[s]) sdc++;
  }
  return { run, faults: all, inferences, correct, sdc, due };
}
