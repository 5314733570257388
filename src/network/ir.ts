/**
 * The layer IR (reference §1.1, §3.2): the network built from an action vector exactly as the original iNAS,
 * with layer names CONV_i, FC_i, GAVGPOOL_0 and FC_END. Pure functions, no I/O.
 */
import { fail, issue, ok, type Family, type InasIssue, type Result, type SearchSpaceSettings } from '../settings/index.ts';

/** Layer kinds of the cost model. */
export const LAYER_TYPES = ['CONV', 'FC', 'POOL', 'GAVGPOOL'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

/** A 4-D shape as the original's `Mat(n, ch, h, w)`. For feature maps n = 1. */
export interface Dims {
  readonly n: number;
  readonly ch: number;
  readonly h: number;
  readonly w: number;
}

/** One layer of the IR. */
export interface Layer {
  /** Position in the network (0-based). */
  readonly index: number;
  /** CONV_i, FC_i, GAVGPOOL_0, FC_END. */
  readonly name: string;
  readonly type: LayerType;
  readonly stride: number;
  /** Kernel: n = output channels (filters), ch = input channels, h × w window. */
  readonly kernel: Dims;
  /** Input feature map (HWC in memory). */
  readonly ifm: Dims;
  /** Output feature map (HWC in memory). */
  readonly ofm: Dims;
  /** ReLU after the layer (all but FC_END). */
  readonly relu: boolean;
}

/** A network built from an action vector. */
export interface Network {
  readonly family: Family;
  /** The action vector: [k0, f0, k1, f1, …] for conv families, [u0, u1, …] for fc. */
  readonly arch: readonly number[];
  /** Input shape [H, W, C]. */
  readonly input: readonly [number, number, number];
  readonly classes: number;
  readonly layers: readonly Layer[];
}

function dims(n: number, ch: number, h: number, w: number): Dims {
  return { n, ch, h, w };
}

/** The choice list of each position of the action vector. */
export function archChoices(space: SearchSpaceSettings): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < space.layers; i++) {
    if (space.family === 'fc') out.push([...space.filters]);
    else out.push([...space.kernel_sizes], [...space.filters]);
  }
  return out;
}

/** Number of architectures in the search space. */
export function searchSpaceSize(space: SearchSpaceSettings): number {
  return archChoices(space).reduce((p, c) => p * c.length, 1);
}

/** Parses "5,4,3,16" (or "[5, 4, 3, 16]") into an action vector. */
export function parseArch(text: string, path = 'arch'): Result<number[]> {
  const cleaned = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  const parts = cleaned.split(/[\s,]+/).filter((p) => p.length > 0);
  const values = parts.map(Number);
  const bad = parts.findIndex((p, i) => !Number.isInteger(values[i]) || (values[i] ?? 0) <= 0 || !/^\d+$/.test(p));
  if (parts.length === 0 || bad >= 0) {
    return fail(issue('invalid_arch', path, `expected a comma-separated list of positive integers, got "${text}"`));
  }
  return ok(values);
}

/** Renders an action vector as "5,4,3,16". */
export function archToString(arch: readonly number[]): string {
  return arch.join(',');
}

/**
 * Builds the layer IR from an action vector (reference §3.2). Checks the vector against the search space and
 * the shape rules of §1.1 (valid padding, stride 1, kernel strictly smaller than its input), returning typed issues.
 */
export function buildNetwork(arch: readonly number[], space: SearchSpaceSettings, opts: { strictChoices?: boolean } = {}): Result<Network> {
  const strict = opts.strictChoices ?? true;
  const issues: InasIssue[] = [];
  const perLayer = space.family === 'fc' ? 1 : 2;
  if (arch.length !== space.layers * perLayer) {
    return fail(issue('invalid_arch', 'arch',
      `expected ${space.layers * perLayer} values for ${space.layers} ${space.family} layers (${space.family === 'fc' ? 'units' : 'kernel, filters'} per layer), got ${arch.length}`,
      { expected: space.layers * perLayer, actual: arch.length }));
  }
  const choices = archChoices(space);
  arch.forEach((v, i) => {
    if (!Number.isInteger(v) || v <= 0) {
      issues.push(issue('invalid_arch', `arch[${i}]`, `must be a positive integer (got ${v})`, { actual: v }));
    } else if (strict && !(choices[i] ?? []).includes(v)) {
      const what = space.family === 'fc' || i % 2 === 1 ? 'filters' : 'kernel size';
      issues.push(issue('invalid_arch', `arch[${i}]`, `${what} ${v} is not in the search space (choices ${JSON.stringify(choices[i])})`,
        { actual: v, choices: choices[i] }));
    }
  });
  if (issues.length) return fail(...issues);

  const [H = 0, W = 0, C = 0] = space.input_shape;
  const layers: Layer[] = [];
  let cur = dims(1, C, H, W);
  if (space.family === 'fc') {
    // FC_0 sees the flattened input as (ch = C, h = H, w = W): for KWS (250, 1, 1) that is ch 1, h 250, w 1 (§3.2).
    for (let i = 0; i < space.layers; i++) {
      const units = arch[i] ?? 0;
      const ofm = dims(1, units, 1, 1);
      layers.push({ index: i, name: `FC_${i}`, type: 'FC', stride: 1, kernel: dims(units, cur.ch, cur.h, cur.w), ifm: cur, ofm, relu: true });
      cur = ofm;
    }
  } else {
    const is1d = space.family === 'conv1d';
    for (let i = 0; i < space.layers; i++) {
      const k = arch[2 * i] ?? 0;
      const f = arch[2 * i + 1] ?? 0;
      const kw = is1d ? 1 : k;
      if (k >= cur.h || (!is1d && k >= cur.w)) {
        return fail(issue('kernel_too_large', `arch[${2 * i}]`,
          `layer CONV_${i}: kernel ${k} is not smaller than its ${cur.h}${is1d ? '' : `x${cur.w}`} input (valid padding needs kernel < input)`,
          { layer: i, kernel: k, input: cur.h }));
      }
      const ofm = dims(1, f, cur.h - k + 1, is1d ? 1 : cur.w - kw + 1);
      layers.push({ index: i, name: `CONV_${i}`, type: 'CONV', stride: 1, kernel: dims(f, cur.ch, k, kw), ifm: cur, ofm, relu: true });
      cur = ofm;
    }
    const gapOut = dims(1, cur.ch, 1, 1);
    layers.push({ index: layers.length, name: 'GAVGPOOL_0', type: 'GAVGPOOL', stride: 1, kernel: dims(cur.ch, cur.ch, cur.h, cur.w), ifm: cur, ofm: gapOut, relu: false });
    cur = gapOut;
  }
  const out = dims(1, space.classes, 1, 1);
  layers.push({ index: layers.length, name: 'FC_END', type: 'FC', stride: 1, kernel: dims(space.classes, cur.ch, cur.h, cur.w), ifm: cur, ofm: out, relu: false });
  return ok({ family: space.family, arch: [...arch], input: [H, W, C], classes: space.classes, layers });
}

/** Elements of a feature map. */
export function fmElements(d: Dims): number {
  return d.ch * d.h * d.w;
}

/** Number of weights of a layer (no biases). */
export function layerWeightCount(layer: Layer): number {
  if (layer.type === 'CONV' || layer.type === 'FC') return layer.kernel.n * layer.kernel.ch * layer.kernel.h * layer.kernel.w;
  return 0;
}

/** Multiply-accumulates of a layer (GAP/POOL: additions/comparisons counted as one each). */
export function layerMacs(layer: Layer): number {
  if (layer.type === 'CONV' || layer.type === 'FC') {
    return fmElements(layer.ofm) * layer.kernel.ch * layer.kernel.h * layer.kernel.w;
  }
  return fmElements(layer.ifm);
}

/** Totals of a network: parameters, MACs, largest feature map. */
export function networkStats(net: Network): { params: number; macs: number; max_fm_elements: number } {
  let params = 0, macs = 0;
  let maxFm = net.input[0] * net.input[1] * net.input[2];
  for (const l of net.layers) {
    params += layerWeightCount(l);
    macs += layerMacs(l);
    maxFm = Math.max(maxFm, fmElements(l.ofm));
  }
  return { params, macs, max_fm_elements: maxFm };
}

/** NVM bytes the deployed model needs: two ping-pong feature buffers plus all weights (reference §1.13, §5.3). */
export function nvmBytes(net: Network, dataSizeBytes: number): number {
  const s = networkStats(net);
  return (2 * s.max_fm_elements + s.params) * dataSizeBytes;
}

/** Checks the NVM requirement against a capacity (§1.13). */
export function checkNvm(net: Network, dataSizeBytes: number, capacityBytes: number): Result<number> {
  const need = nvmBytes(net, dataSizeBytes);
  if (need > capacityBytes) {
    return fail(issue('nvm_overflow', 'arch', `the model needs ${need} bytes of NVM (2 feature buffers + weights); the platform has ${capacityBytes}`,
      { need_bytes: need, capacity_bytes: capacityBytes }));
  }
  return ok(need);
}
