/**
 * The TS engine of fault campaigns: runs the integer-exact Q15 reference (src/quant) with faults applied to weights,
 * activations or per-layer scale metadata. Inference restarts from the golden activations of the layer before the
 * first faulted layer (the layers before it cannot differ), which is what makes thousands of runs a minute possible.
 */
import { runLayer, argmax, type QModel, type QModelLayer } from '../quant/index.ts';
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
}

/** Builds the eval set: quantized inputs, labels and traced golden runs. */
export function buildEvalSet(q: QModel, inputs: readonly Int16Array[], labels: Int32Array): EvalSet {
  const golden = new Int32Array(inputs.length);
  const goldenActs: Int16Array[][] = [];
  inputs.forEach((x, i) => {
    const acts: Int16Array[] = [];
    let cur = x;
    for (let l = 0; l < q.net.layers.length; l++) {
      cur = runLayer(q.net.layers[l]!, q.layers[l]!, cur);
      acts.push(cur);
    }
    golden[i] = argmax(cur);
    goldenActs.push(acts);
  });
  return { inputs, labels, golden, goldenActs };
}

const SHIFT_MIN = -15, SHIFT_MAX = 31;

interface Prepared {
  layers: QModelLayer[];
  applied: AppliedFault[];
  due: DueKind | null;
  firstLayer: number;
  actFaults: Map<number, DrawnFault[]>;
}

/** Applies permanent weight/scale faults to a copy of the affected layers; activation faults are kept for the hook. */
function prepare(q: QModel, space: readonly FaultTensor[], spec: FaultSpec, faults: readonly DrawnFault[], protect: Protection, cleanCrc: readonly number[]): Prepared {
  const layers = q.layers.slice();
  const applied: AppliedFault[] = [];
  const actFaults = new Map<number, DrawnFault[]>();
  let due: DueKind | null = null;
  let firstLayer = q.layers.length;
  const touched = new Set<number>();
  for (const f of faults) {
    const t = space[f.tensor]!;
    const li = t.layerIndex;
    firstLayer = Math.min(firstLayer, li);
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
  return { layers, applied, due, firstLayer, actFaults };
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
  protect: Protection, cleanCrc: readonly number[]): RunOutcome {
  const count = set.inputs.length;
  let correct = 0, sdc = 0;
  if (spec.persistence === 'permanent') {
    const faults = drawFaults(space, spec, runRng(seed, run));
    const p = prepare(q, space, spec, faults, protect, cleanCrc);
    if (p.due) return { run, faults: p.applied, inferences: 0, correct: 0, sdc: 0, due: p.due };
    const actLog: AppliedFault[] = [];
    for (let s = 0; s < count; s++) {
      const cls = inferFrom(q, p.layers, set, s, p.firstLayer, p.actFaults, space, s === 0 ? actLog : null);
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
    const cls = inferFrom(q, p.layers, set, s, p.firstLayer, p.actFaults, space, all);
    inferences++;
    if (cls === set.labels[s]) correct++;
    if (cls !== set.golden[s]) sdc++;
  }
  return { run, faults: all, inferences, correct, sdc, due };
}
