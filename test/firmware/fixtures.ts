/**
 * Test fixtures for the dumper and the firmware: small quantized models with seeded random integer weights and
 * chosen execution designs, solution objects around them, and the platform's cost table (reference §1.5).
 */
import { buildNetwork, type Network } from '../../src/network/index.ts';
import { DEFAULT_SETTINGS, createRng, settingsDigest, type Family, type InasSettings } from '../../src/settings/index.ts';
import { encodeWeights, writeSolution, type QModel, type QuantLayer, type Solution } from '../../src/quant/index.ts';
import type { CostTableLike, FirmwareCosts } from '../../src/dumper/index.ts';

/**
 * Reference §1.5 constants (MSP430FR5994 + external SPI FRAM), corrected latency mode. Kept here only as a test
 * fixture; the product reads them from src/platform.
 */
export function referenceCosts(): FirmwareCosts {
  const hz = 16e6;
  const A = 3.935538461538471e-9, M = 1.9253346153846146e-8, LA = 12 / hz, LM = 44 / hz;
  const ov = (a: number, m: number): [number, number] => [a * A + m * M, a * LA + m * LM];
  const [fdIE, fdIL] = ov(7, 5), [fdWE, fdWL] = ov(8, 9);
  const [fdORuiE, fdORuiL] = ov(7, 5), [fdORuwE, fdORuwL] = ov(7, 4), [fdORuoE, fdORuoL] = ov(7, 4);
  const [bdORuiE, bdORuiL] = ov(9, 8), [bdORuwE, bdORuwL] = ov(11, 9), [bdORuoE, bdORuoL] = ov(7, 5);
  const [psumE, psumL] = ov(7, 5), [acumE, acumL] = ov(3, 3), [maxOvhdE, maxOvhdL] = ov(2, 1);
  const table: CostTableLike = {
    clockHz: hz,
    rdEa: 2.7e-8, rdEb: 2.0e-7, rdCa: 64, rdCb: 424,
    wrEa: 2.6815e-8, wrEb: 1.9336e-7, wrCa: 64.00082974729904, wrCb: 422.22773129921234,
    macEa: 5.27308646249e-10, macEb: 2.04412689725e-7, macCa: 1.5, macCb: 616,
    addE: A, addL: LA, rbE: 7.788e-5, rbL: 0.07,
    fdIE, fdIL, fdWE, fdWL, fdORuiE, fdORuiL, fdORuwE, fdORuwL, fdORuoE, fdORuoL,
    bdORuiE, bdORuiL, bdORuwE, bdORuwL, bdORuoE, bdORuoL, psumE, psumL, acumE, acumL,
    maxCmpE: 4.228153846153846e-9, maxCmpL: 14 / hz, maxOvhdE, maxOvhdL,
  };
  return { table, divide_energy_j: 4.373834615384616e-8, divide_latency_s: 160 / hz };
}

/** The small networks the tests use. */
export const SMALL_NETS: Readonly<Record<Family, { arch: number[]; input: [number, number, number]; classes: number }>> = {
  conv2d: { arch: [3, 4, 3, 4, 1, 4, 1, 4], input: [10, 10, 2], classes: 3 },
  conv1d: { arch: [3, 4, 3, 6], input: [16, 1, 3], classes: 3 },
  fc: { arch: [8, 6], input: [20, 1, 1], classes: 3 },
};

export function smallNetwork(family: Family): Network {
  const n = SMALL_NETS[family];
  const r = buildNetwork(n.arch, {
    family, layers: family === 'fc' ? n.arch.length : n.arch.length / 2, kernel_sizes: [1, 3], filters: [4, 6, 8],
    input_shape: [...n.input], classes: n.classes,
  }, { strictChoices: false });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}

export interface Fixture {
  readonly solution: Solution;
  readonly qmodel: QModel;
  readonly inputs: Int16Array[];
}

/**
 * A quantized model of `net` with seeded random weights (|w| ≤ wMax) and shifts that keep outputs mostly in range,
 * `designs` per layer, and `count` random inputs.
 */
export function makeFixture(net: Network, designs: readonly (string | null)[], opts: { seed?: number; count?: number; weightBits?: 16 | 8; settings?: InasSettings; pool?: 'max' | 'avg' } = {}): Fixture {
  const rng = createRng(opts.seed ?? 1);
  const bits = opts.weightBits ?? 16;
  const wMax = bits === 16 ? 600 : 100;
  const xMax = 8000;
  let offset = 0;
  const layers = net.layers.map((l) => {
    const base = { name: l.name, type: l.type, relu: l.relu, in_frac: 12, weight_bits: bits, weights_offset_bytes: offset };
    if (l.type === 'CONV' || l.type === 'FC') {
      const count = l.kernel.h * l.kernel.w * l.kernel.ch * l.kernel.n;
      const w = bits === 16 ? new Int16Array(count) : new Int8Array(count);
      for (let i = 0; i < count; i++) w[i] = rng.int(2 * wMax + 1) - wMax;
      const taps = l.kernel.h * l.kernel.w * l.kernel.ch;
      const shift = Math.max(0, Math.round(Math.log2((xMax * wMax * Math.sqrt(taps)) / 16384)));
      offset += bits === 16 ? 2 * count : count + (count % 2);
      const q: QuantLayer & { weights: Int16Array | Int8Array } = { ...base, w_frac: 12, out_frac: 24 - shift, shift, weights_count: count, weights: w };
      return q;
    }
    const q: QuantLayer & { weights: null } = { ...base, w_frac: 0, out_frac: 12, shift: 0, weights_count: 0, weights: null, ...(l.type === 'POOL' ? { pool: opts.pool ?? 'max' } : {}) };
    return q;
  });
  const qmodel: QModel = { net, input_frac: 12, layers };
  const n = net.input[0] * net.input[1] * net.input[2];
  const inputs = Array.from({ length: opts.count ?? 3 }, () => {
    const x = new Int16Array(n);
    for (let i = 0; i < n; i++) x[i] = rng.int(2 * xMax + 1) - xMax;
    return x;
  });
  const settings = opts.settings ?? DEFAULT_SETTINGS;
  const solution: Solution = {
    schema_version: 1, kind: 'inas-solution', inas_version: '0.1.0', created_utc: '2026-01-01T00:00:00.000Z',
    settings_digest: 'f'.repeat(64), settings, family: net.family, arch: [...net.arch], input_shape: [...net.input], classes: net.classes,
    power: 'int', compat: 'corrected', feasible: true,
    layers: net.layers.map((l, i) => ({ name: l.name, type: l.type, design: designs[i] ?? null, latency_s: 1 + i, energy_per_cycle_j: 1e-4, power_cycles: 2 + i, vm_bytes: 100 })),
    predicted: { latency_s: 10, energy_j: 1e-3, power_cycles: 20 },
    accuracy: { float: null, q15: null },
    quant: { input_frac: 12, layers: layers.map(({ weights: _w, ...q }) => q) },
    weights: null, samples: null,
  };
  return { solution, qmodel, inputs };
}

/**
 * Design sets of the small networks: every loop order, S = 1 and S > 1, 1..4 partial-sum steps per output tile.
 * conv2d layers: CONV_0 10x10x2→8x8x4 (k3), CONV_1 →6x6x4 (k3), CONV_2/CONV_3 6x6x4 (k1), GAVGPOOL_0, FC_END 4→3.
 */
export const DESIGNS = {
  conv2d_a: ['2_4_2_1_reuse_I_S2', '3_6_2_2_reuse_W_S2', '2_3_4_1_reuse_O_S2', '6_6_4_4_reuse_O_S1', '2_3_2_1_reuse_O_S2', '1_1_1_2_reuse_I_S3'],
  conv2d_b: ['2_4_2_1_reuse_W_S1', '2_3_2_1_reuse_O_S1', '3_3_2_2_reuse_I_S1', '1_6_4_2_reuse_W_S3', '6_6_4_1_reuse_O_S1', '1_1_3_1_reuse_O_S2'],
  /* conv1d: CONV_0 16x1x3→14x1x4 (k3), CONV_1 →12x1x6, GAVGPOOL_0, FC_END 6→3. */
  conv1d: ['7_1_2_1_reuse_I_S2', '2_1_3_2_reuse_W_S6', '3_1_3_1_reuse_O_S2', '1_1_3_3_reuse_O_S2'],
  /* fc: FC_0 20→8, FC_1 8→6, FC_END 6→3. */
  fc: ['1_1_2_1_reuse_I_S4', '1_1_3_4_reuse_O_S1', '1_1_1_6_reuse_W_S1'],
} as const;

/** Writes a fixture as a solution folder (quant's writeSolution): samples are the inputs / 2^input_frac. */
export function writeFixtureSolution(dir: string, f: Fixture): string {
  const { weights: _w, samples: _s, ...draft } = f.solution;
  const n = f.qmodel.net.input[0] * f.qmodel.net.input[1] * f.qmodel.net.input[2];
  const x = new Float32Array(f.inputs.length * n);
  f.inputs.forEach((v, k) => v.forEach((q, i) => { x[k * n + i] = q / 2 ** f.qmodel.input_frac; }));
  const y = new Int32Array(f.inputs.length);
  const r = writeSolution(dir, { ...draft, settings_digest: settingsDigest(f.solution.settings) }, encodeWeights(f.qmodel), { x, y, count: f.inputs.length });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.value;
}

/**
 * A conv2d network with a pooling layer (the NAS search spaces never generate POOL; the runtime supports it):
 * 8x8x2 → CONV_0 3x3 → 6x6x4 → POOL_0 2x2 stride 2 → 3x3x4 → GAVGPOOL_0 → FC_END 4→3.
 */
export function poolNetwork(): Network {
  const d = (n: number, ch: number, h: number, w: number) => ({ n, ch, h, w });
  const layers: Network['layers'] = [
    { index: 0, name: 'CONV_0', type: 'CONV', stride: 1, kernel: d(4, 2, 3, 3), ifm: d(1, 2, 8, 8), ofm: d(1, 4, 6, 6), relu: true },
    { index: 1, name: 'POOL_0', type: 'POOL', stride: 2, kernel: d(4, 1, 2, 2), ifm: d(1, 4, 6, 6), ofm: d(1, 4, 3, 3), relu: false },
    { index: 2, name: 'GAVGPOOL_0', type: 'GAVGPOOL', stride: 1, kernel: d(4, 4, 3, 3), ifm: d(1, 4, 3, 3), ofm: d(1, 4, 1, 1), relu: false },
    { index: 3, name: 'FC_END', type: 'FC', stride: 1, kernel: d(3, 4, 1, 1), ifm: d(1, 4, 1, 1), ofm: d(1, 3, 1, 1), relu: false },
  ];
  return { family: 'conv2d', arch: [3, 4], input: [8, 8, 2], classes: 3, layers };
}

/** Designs of poolNetwork(): CONV_0, POOL_0 (S over M/Tm), GAP, FC_END. */
export const POOL_DESIGNS = ['3_2_2_1_reuse_I_S2', '3_1_2_1_reuse_O_S2', '1_3_2_1_reuse_O_S1', '1_1_3_4_reuse_O_S1'] as const;
