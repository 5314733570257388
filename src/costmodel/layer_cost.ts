/**
 * Object-level cost of one layer with a given design: intermittent power (§1.6–1.10, §1.12) and continuous power
 * (§1.11). Uses the scalar kernels, so the numbers equal the explorer's bit for bit.
 */
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { Layer } from '../network/index.ts';
import { rechargeTimeS, type Platform } from '../platform/index.ts';
import { checkLayer, ifmTile, ifmTileCompat, KIND_CONV, KIND_GAVGPOOL, type LayerDims } from './dims.ts';
import { formatDesign, orderCode, ORDER_O, type Design } from './design.ts';
import { batchedIterations, contLayerCost, CONT_SLOTS, intCycleEnergy, intCycleLatency, PC_SLOTS, powerCycleCounts, tileCounts, vmBytesOf } from './kernel.ts';

/**
 * One power cycle split into its parts (§1.6): reboot, fetch (of a cycle with n > 0 / n = 0), loop-index fetch,
 * compute, backup, loop-index backup. `fetch_max` is the n > 0 variant as computed, even when the layer has no such
 * cycles (then the totals use the n = 0 cycle for both max and min, as the original).
 */
export interface CycleBreakdown {
  readonly reboot: number;
  readonly fetch_max: number;
  readonly fetch_min: number;
  readonly loop_index_fetch: number;
  readonly compute: number;
  readonly backup: number;
  readonly loop_index_backup: number;
}

/** NVM traffic of a layer (§1.12): total read and write time/energy over all its power cycles. */
export interface NvmAccess {
  readonly read_s: number;
  readonly write_s: number;
  readonly read_j: number;
  readonly write_j: number;
}

/** Cost of a layer under intermittent power. */
export interface IntLayerCost {
  readonly design: string;
  readonly vm_bytes: number;
  /** C0: VM bytes ≤ capacity. */
  readonly c0_ok: boolean;
  /** C1: energy of the most expensive power cycle ≤ the budget Eav. */
  readonly c1_ok: boolean;
  readonly feasible: boolean;
  readonly energy_per_cycle_max_j: number;
  readonly energy_per_cycle_min_j: number;
  readonly latency_per_cycle_max_s: number;
  readonly latency_per_cycle_min_s: number;
  /** Epc_max / Eav (fraction; the original's Eu is this ×100). */
  readonly energy_utilisation: number;
  readonly budget_j: number;
  /** Recharge times after a min / max cycle (s); null when C1 fails. */
  readonly recharge_min_s: number | null;
  readonly recharge_max_s: number | null;
  readonly power_cycles: number;
  readonly cycles_n0: number;
  readonly cycles_ngt0: number;
  /** End-to-end layer latency incl. recharge (s); null when C1 fails. */
  readonly latency_s: number | null;
  /** Energy the layer consumes: n0·Epc_min + ngt0·Epc_max (J). */
  readonly energy_j: number;
  readonly energy_breakdown_j: CycleBreakdown;
  readonly latency_breakdown_s: CycleBreakdown;
  readonly nvm_access: NvmAccess;
}

/** Cost of a layer under continuous power. */
export interface ContLayerCost {
  readonly design: string;
  readonly vm_bytes: number;
  readonly c0_ok: boolean;
  readonly feasible: boolean;
  readonly latency_s: number;
  readonly energy_j: number;
  readonly energy_breakdown_j: { readonly fetch: number; readonly compute: number; readonly backup: number };
  readonly latency_breakdown_s: { readonly fetch: number; readonly compute: number; readonly backup: number };
  readonly tiles: number;
}

interface Resolved {
  readonly d: LayerDims;
  readonly tri: number;
  readonly tci: number;
  readonly order: number;
  readonly counts: [number, number, number, number];
}

/** Checks that a design fits a layer: tiles divide their dimension, order allowed, S divides the batched loop. */
export function checkDesign(layer: Layer, design: Design, path = `layers[${layer.index}].design`): Result<Resolved> {
  const lr = checkLayer(layer);
  if (!lr.ok) return lr;
  const d = lr.value;
  const text = formatDesign(design);
  const order = orderCode(design.order);
  const bad: string[] = [];
  const rows = d.kind === KIND_GAVGPOOL ? d.H : d.R, cols = d.kind === KIND_GAVGPOOL ? d.W : d.C;
  if (rows % design.tr !== 0) bad.push(`Tr ${design.tr} does not divide ${rows}`);
  if (cols % design.tc !== 0) bad.push(`Tc ${design.tc} does not divide ${cols}`);
  if (d.M % design.tm !== 0) bad.push(`Tm ${design.tm} does not divide ${d.M}`);
  if (d.kind === KIND_CONV ? d.N % design.tn !== 0 : design.tn !== 1) bad.push(`Tn ${design.tn} ${d.kind === KIND_CONV ? `does not divide ${d.N}` : 'must be 1'}`);
  if (d.kind !== KIND_CONV && order !== ORDER_O) bad.push(`${layer.type} supports only reuse_O (got ${design.order})`);
  if (bad.length === 0) {
    const counts = tileCounts(d.kind, d.H, d.W, d.R, d.C, d.M, d.N, design.tr, design.tc, design.tm, design.tn);
    const iters = batchedIterations(d.kind, order, ...counts);
    if (iters % design.s !== 0) bad.push(`S ${design.s} does not divide the ${iters} batched iterations`);
    if (bad.length === 0) {
      return ok({ d, order, counts, tri: ifmTile(d.kind, design.tr, d.Kh, d.stride), tci: ifmTile(d.kind, design.tc, d.Kw, d.stride) });
    }
  }
  return fail(issue('unsupported_design', path, `design ${text} does not fit ${layer.name}: ${bad.join('; ')}`, { design: text, layer: layer.name }));
}

function breakdown(out: Float64Array, base: number): CycleBreakdown {
  return {
    reboot: out[base] ?? NaN, fetch_max: out[base + 1] ?? NaN, fetch_min: out[base + 2] ?? NaN, loop_index_fetch: out[base + 3] ?? NaN,
    compute: out[base + 4] ?? NaN, backup: out[base + 5] ?? NaN, loop_index_backup: out[base + 6] ?? NaN,
  };
}

/** Options of costLayerInt. */
export interface IntCostOptions {
  /**
   * Size GAVGPOOL IFM tiles with the convolution formula, as the original's fixed-design costing did
   * (`handler.find_layer_cost_fixed_solution`; see ifmTileCompat). Default false (the INT explorer's Tr×Tc).
   */
  readonly legacyGapTile?: boolean;
}

/** Cost of one layer with a design under intermittent power (§1.6–1.10), with C0/C1 verdicts and NVM traffic. */
export function costLayerInt(layer: Layer, design: Design, platform: Platform, opts: IntCostOptions = {}): Result<IntLayerCost> {
  const r = checkDesign(layer, design);
  if (!r.ok) return r;
  const { d, order, counts } = r.value;
  const legacy = opts.legacyGapTile ?? false;
  const tri = legacy ? ifmTileCompat(d.kind, design.tr, d.Kh, d.stride, true) : r.value.tri;
  const tci = legacy ? ifmTileCompat(d.kind, design.tc, d.Kw, d.stride, true) : r.value.tci;
  const { tr, tc, tm, tn, s } = design;
  const out = new Float64Array(PC_SLOTS);
  intCycleEnergy(platform.costs, d.kind, d.Kh, d.Kw, tri, tci, tr, tc, tm, tn, order, s, out);
  intCycleLatency(platform.costs, d.kind, d.Kh, d.Kw, tri, tci, tr, tc, tm, tn, order, s, out);
  const [npc, n0, ngt0] = powerCycleCounts(d.kind, order, ...counts, s);
  const eMin = out[15] ?? NaN, lMin = out[17] ?? NaN;
  // "If the layer has no n>0 cycles then max := min" (cnn.est_cost_layer_intpow).
  const eMax = ngt0 === 0 ? eMin : (out[14] ?? NaN);
  const lMax = ngt0 === 0 ? lMin : (out[16] ?? NaN);
  const vm = vmBytesOf(d.kind, d.Kh, d.Kw, tri, tci, tr, tc, tm, tn, order, s, platform.data_size_bytes);
  const budget = platform.capacitor.usable_energy_j;
  const c0 = vm <= platform.vm_capacity_bytes;
  const c1 = eMax <= budget;
  let rcMin: number | null = null, rcMax: number | null = null, lat: number | null = null;
  if (c1) {
    const a = rechargeTimeS(platform.capacitor, platform.harvester, eMin);
    const b = rechargeTimeS(platform.capacitor, platform.harvester, eMax);
    rcMin = a; rcMax = b;
    lat = n0 * (lMin + a) + ngt0 * (lMax + b);
  }
  const eb = breakdown(out, 0), lb = breakdown(out, 7);
  return ok({
    design: formatDesign(design), vm_bytes: vm, c0_ok: c0, c1_ok: c1, feasible: c0 && c1,
    energy_per_cycle_max_j: eMax, energy_per_cycle_min_j: eMin, latency_per_cycle_max_s: lMax, latency_per_cycle_min_s: lMin,
    energy_utilisation: eMax / budget, budget_j: budget,
    recharge_min_s: rcMin, recharge_max_s: rcMax,
    power_cycles: npc, cycles_n0: n0, cycles_ngt0: ngt0,
    latency_s: lat, energy_j: n0 * eMin + ngt0 * eMax,
    energy_breakdown_j: eb, latency_breakdown_s: lb,
    nvm_access: {
      read_s: lb.fetch_max * ngt0 + lb.fetch_min * n0 + lb.loop_index_fetch * npc,
      write_s: (lb.backup + lb.loop_index_backup) * npc,
      read_j: eb.fetch_max * ngt0 + eb.fetch_min * n0 + eb.loop_index_fetch * npc,
      write_j: (eb.backup + eb.loop_index_backup) * npc,
    },
  });
}

/** Cost of one layer with a design under continuous power (§1.11; S is ignored: always 1). */
export function costLayerCont(layer: Layer, design: Design, platform: Platform): Result<ContLayerCost> {
  const d1 = { ...design, s: 1 };
  const r = checkDesign(layer, d1);
  if (!r.ok) return r;
  const { d, tri, tci, order, counts } = r.value;
  const out = new Float64Array(CONT_SLOTS);
  // tecs21: the original's CONT path sizes GAVGPOOL IFM tiles with the convolution formula (see ifmTileCompat).
  const legacy = platform.compat === 'tecs21';
  const ctri = ifmTileCompat(d.kind, d1.tr, d.Kh, d.stride, legacy);
  const ctci = ifmTileCompat(d.kind, d1.tc, d.Kw, d.stride, legacy);
  contLayerCost(platform.costs, d.kind, d.Kh, d.Kw, ctri, ctci, d1.tr, d1.tc, d1.tm, d1.tn, order, ...counts, out);
  const vm = vmBytesOf(d.kind, d.Kh, d.Kw, tri, tci, d1.tr, d1.tc, d1.tm, d1.tn, order, 1, platform.data_size_bytes);
  const c0 = vm <= platform.vm_capacity_bytes;
  return ok({
    design: formatDesign(d1), vm_bytes: vm, c0_ok: c0, feasible: c0,
    latency_s: out[7] ?? NaN, energy_j: out[3] ?? NaN,
    energy_breakdown_j: { fetch: out[0] ?? NaN, compute: out[1] ?? NaN, backup: out[2] ?? NaN },
    latency_breakdown_s: { fetch: out[4] ?? NaN, compute: out[5] ?? NaN, backup: out[6] ?? NaN },
    tiles: counts[0] * counts[1] * counts[2] * counts[3],
  });
}
