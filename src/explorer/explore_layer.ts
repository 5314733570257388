/**
 * Per-layer exhaustive design search (iNAS-Exp, reference §2.1–2.3) over exactly the original candidate sets, with
 * the original objective (min end-to-end layer latency) and tie-break (then min VM, then first in enumeration order
 * Tr → Tc → Tm → Tn → order → S). Fast: scalar loops over Int32Array candidate lists, one scratch Float64Array, no
 * per-candidate objects, S sets computed once per distinct loop length, early exits where a constraint is monotone
 * in S, and a recharge-free lower bound that skips candidates which cannot beat the incumbent.
 */
import type { Layer } from '../network/index.ts';
import { rechargeTimeS, type Platform } from '../platform/index.ts';
import type { IssueCode, PowerType } from '../settings/index.ts';
import {
  affineFromTerms, affineTileTerms, AF_SLOTS, AT_SLOTS, checkLayer, contLayerCost, ifmTileCompat, CONT_SLOTS, costLayerCont, costLayerInt, formatDesignParts, ifmTile, intCycleEnergy, intCycleLatency,
  KIND_CONV, KIND_GAVGPOOL, legalBatchSizes, legalTileSets, ORDER_I, ORDER_O, ORDER_W, PC_SLOTS, vmBytesOf, type Design, REUSE_ORDERS,
} from '../costmodel/index.ts';
import type { InfeasibilityExplanation, LayerExploration, NearCandidate } from './types.ts';

/** Scratch buffers reused across layers of one exploration. */
export interface Scratch {
  readonly pc: Float64Array;
  readonly ct: Float64Array;
  readonly af: Float64Array;
  readonly at: Float64Array;
}

export function createScratch(): Scratch {
  return { pc: new Float64Array(PC_SLOTS), ct: new Float64Array(CONT_SLOTS), af: new Float64Array(AF_SLOTS), at: new Float64Array(AT_SLOTS) };
}

/** A design held as six numbers (no object per candidate). */
class Pick {
  tr = 0; tc = 0; tm = 0; tn = 0; order = 0; s = 0;
  set(tr: number, tc: number, tm: number, tn: number, order: number, s: number): void {
    this.tr = tr; this.tc = tc; this.tm = tm; this.tn = tn; this.order = order; this.s = s;
  }
  text(): string {
    return formatDesignParts(this.tr, this.tc, this.tm, this.tn, this.order, this.s);
  }
  design(): Design {
    return { tr: this.tr, tc: this.tc, tm: this.tm, tn: this.tn, order: REUSE_ORDERS[this.order] ?? 'reuse_O', s: this.s };
  }
}

/** Relative slack on the lower bound so rounding can never skip a candidate that ties the incumbent. */
const BOUND_SLACK = 1 - 1e-12;

function fmtJ(j: number): string {
  return `${j.toExponential(3)} J`;
}

function invalidLayer(layer: Layer, message: string, code: IssueCode, platform: Platform): LayerExploration {
  return {
    name: layer.name, type: layer.type, feasible: false, design: null, latency_s: null, power_cycles: null,
    energy_per_cycle_j: null, vm_bytes: null, reason: message, energy_j: null, energy_utilisation: null,
    candidates: 0, passes: 0, failed_c0: 0, failed_c1: 0,
    explanation: { constraint: 'invalid', vm_capacity_bytes: platform.vm_capacity_bytes, budget_j: null, least_vm: null, least_energy: null, invalid_code: code },
  };
}

/** Explores one layer under `power` and returns the best design or the reason there is none. */
export function exploreLayer(layer: Layer, platform: Platform, power: PowerType, scratch: Scratch = createScratch()): LayerExploration {
  const chk = checkLayer(layer);
  if (!chk.ok) return invalidLayer(layer, chk.issues.map((i) => i.message).join('; '), chk.issues[0]?.code ?? 'invalid_arch', platform);
  const d = chk.value;
  const { kind, Kh, Kw, stride, M, N } = d;
  const rows = kind === KIND_GAVGPOOL ? d.H : d.R;
  const cols = kind === KIND_GAVGPOOL ? d.W : d.C;
  const sets = legalTileSets(d);
  const t = platform.costs;
  const cap = platform.vm_capacity_bytes;
  const dsz = platform.data_size_bytes;
  const budget = platform.capacitor.usable_energy_j;
  const capc = platform.capacitor, harv = platform.harvester;
  const trcFloor = Math.max(0, rechargeTimeS(capc, harv, 0));
  const isInt = power === 'int';
  // tecs21: the original CONT explorer sized GAVGPOOL IFM tiles with the convolution formula (ifmTileCompat).
  const legacyGap = platform.compat === 'tecs21';
  const pc = scratch.pc, ct = scratch.ct, af = scratch.af, at = scratch.at;
  // S sets by batched-loop length, computed once per layer (lengths are at most rows·cols, M or N).
  const cacheLen = Math.max(rows * cols, M, N) + 1;
  const sCache: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(cacheLen).fill(undefined);
  const qCache: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(cacheLen).fill(undefined);

  let candidates = 0, passes = 0, failedC0 = 0, failedC1 = 0;
  let bestLat = Infinity, bestVm = Infinity;
  const best = new Pick();
  let leastVm = Infinity;
  const leastVmPick = new Pick();
  let leastE = Infinity;
  const leastEPick = new Pick();

  const trs = sets.tr, tcs = sets.tc, tms = sets.tm, tns = sets.tn, orders = sets.orders;
  for (let a = 0; a < trs.length; a++) {
    const tr = trs[a]!;
    const tri = ifmTile(kind, tr, Kh, stride);
    const ctri = isInt ? tri : ifmTileCompat(kind, tr, Kh, stride, legacyGap);
    const Rt = rows / tr;
    for (let b = 0; b < tcs.length; b++) {
      const tc = tcs[b]!;
      const tci = ifmTile(kind, tc, Kw, stride);
      const ctci = isInt ? tci : ifmTileCompat(kind, tc, Kw, stride, legacyGap);
      const Ct = cols / tc;
      for (let c = 0; c < tms.length; c++) {
        const tm = tms[c]!;
        const Mt = M / tm;
        for (let e = 0; e < tns.length; e++) {
          const tn = tns[e]!;
          const Nt = kind === KIND_CONV ? N / tn : 1;
          let termsReady = false;
          for (let o = 0; o < orders.length; o++) {
            const order = orders[o]!;
            if (!isInt) {
              // CONT: S = 1, constraint C0 only, objective = whole-layer latency.
              candidates++;
              const vm = vmBytesOf(kind, Kh, Kw, tri, tci, tr, tc, tm, tn, order, 1, dsz);
              if (vm < leastVm) { leastVm = vm; leastVmPick.set(tr, tc, tm, tn, order, 1); }
              if (vm > cap) { failedC0++; continue; }
              passes++;
              contLayerCost(t, kind, Kh, Kw, ctri, ctci, tr, tc, tm, tn, order, Rt, Ct, Mt, Nt, ct);
              const lat = ct[7]!;
              if (lat < bestLat || (lat === bestLat && vm < bestVm)) { bestLat = lat; bestVm = vm; best.set(tr, tc, tm, tn, order, 1); }
              continue;
            }
            const iters = kind === KIND_GAVGPOOL ? Rt * Ct : kind !== KIND_CONV ? Mt : order === ORDER_I ? Mt : order === ORDER_W ? Rt * Ct : Nt;
            let ss = sCache[iters], qs = qCache[iters];
            if (ss === undefined || qs === undefined) {
              ss = legalBatchSizes(iters);
              qs = ss.map((x) => iters / x);
              sCache[iters] = ss; qCache[iters] = qs;
            }
            const nS = ss.length;
            candidates += nS;
            // VM bytes = (vmA + vmB·S)·DATA_SZ (§1.4), the same integers as vmBytesOf.
            let vmA: number, vmB: number;
            if (kind === KIND_CONV) {
              vmA = tri * tci * tn + Kh * Kw * tm * tn + (order === ORDER_O ? tr * tc * tm : 0);
              vmB = order === ORDER_O ? 0 : tr * tc * tm;
            } else if (kind === KIND_GAVGPOOL) {
              vmA = tr * tc * tm; vmB = tm;
            } else {
              vmA = tri * tci * tn; vmB = tr * tc * tm;
            }
            // VM is smallest at S = 1 (ss[0]): if even that does not fit, the whole group fails C0.
            const vm1 = (vmA + vmB) * dsz;
            if (vm1 < leastVm) { leastVm = vm1; leastVmPick.set(tr, tc, tm, tn, order, 1); }
            if (vm1 > cap) { failedC0 += nS; continue; }
            // Per-cycle energy and latency are affine in S: classify and bound every S from four pairs of
            // coefficients; only candidates that can still win are re-evaluated with the exact kernels.
            if (!termsReady) { affineTileTerms(t, kind, Kh, Kw, tri, tci, tr, tc, tm, tn, at); termsReady = true; }
            affineFromTerms(t, order, at, af);
            const eMaxA = af[0]!, eMaxB = af[1]!, eMinA = af[2]!, eMinB = af[3]!;
            const lMaxA = af[4]!, lMaxB = af[5]!, lMinA = af[6]!, lMinB = af[7]!;
            const rctm = Rt * Ct * Mt;
            // Power cycles (§1.8) from exact integer quotients: npc = tiles/S, n0 = RtCtMt/S (reuse_O: RtCtMt).
            const npcPer = (rctm * Nt) / iters, n0Per = rctm / iters;
            const n0Fixed = kind === KIND_CONV && order === ORDER_O;
            for (let k = 0; k < nS; k++) {
              const s = ss[k]!;
              const vm = (vmA + vmB * s) * dsz;
              if (vm > cap) {
                // VM grows with S (vmB > 0 here, since S = 1 fitted): the rest fail C0 too.
                failedC0 += nS - k;
                break;
              }
              const q = qs[k]!;
              const npc = npcPer * q;
              const n0 = n0Fixed ? rctm : n0Per * q;
              const ngt0 = npc - n0;
              const eMinAp = eMinA + eMinB * s;
              const eMaxAp = ngt0 === 0 ? eMinAp : eMaxA + eMaxB * s;
              if (eMaxAp > budget) {
                if (eMaxAp < leastE) { leastE = eMaxAp; leastEPick.set(tr, tc, tm, tn, order, s); }
                failedC1++;
                // reuse_O: at S = N/Tn there are no n > 0 cycles, so that cycle skips the partial-sum fetch and can
                // fit although smaller S did not — energy is not monotone in S here; check every S.
                if (n0Fixed) continue;
                // Otherwise energy per cycle is non-decreasing in S: the rest fail C1 too (or C0 first).
                for (let k2 = k + 1; k2 < nS; k2++) {
                  if ((vmA + vmB * ss[k2]!) * dsz > cap) failedC0++;
                  else failedC1++;
                }
                break;
              }
              passes++;
              const lMinAp = lMinA + lMinB * s;
              const lMaxAp = ngt0 === 0 ? lMinAp : lMaxA + lMaxB * s;
              // Lower bound without the logarithm: recharge time ≥ its value for an empty cycle.
              if ((n0 * lMinAp + ngt0 * lMaxAp + npc * trcFloor) * BOUND_SLACK > bestLat) continue;
              // Exact evaluation (bit-identical to costLayerInt).
              intCycleEnergy(t, kind, Kh, Kw, tri, tci, tr, tc, tm, tn, order, s, pc);
              const eMin = pc[15]!;
              const eMax = ngt0 === 0 ? eMin : pc[14]!;
              if (eMax > budget) { passes--; failedC1++; continue; }
              intCycleLatency(t, kind, Kh, Kw, tri, tci, tr, tc, tm, tn, order, s, pc);
              const lMin = pc[17]!;
              const lMax = ngt0 === 0 ? lMin : pc[16]!;
              const rcMin = rechargeTimeS(capc, harv, eMin);
              const rcMax = ngt0 === 0 ? rcMin : rechargeTimeS(capc, harv, eMax);
              const lat = n0 * (lMin + rcMin) + ngt0 * (lMax + rcMax);
              if (lat < bestLat || (lat === bestLat && vm < bestVm)) { bestLat = lat; bestVm = vm; best.set(tr, tc, tm, tn, order, s); }
            }
          }
        }
      }
    }
  }

  const counts = { candidates, passes, failed_c0: failedC0, failed_c1: failedC1 };
  if (bestLat < Infinity) {
    if (isInt) {
      const r = costLayerInt(layer, best.design(), platform);
      if (!r.ok) throw new Error(`explorer: best design does not cost: ${r.issues[0]?.message}`);
      const v = r.value;
      return {
        name: layer.name, type: layer.type, feasible: true, design: v.design, latency_s: v.latency_s, power_cycles: v.power_cycles,
        energy_per_cycle_j: v.energy_per_cycle_max_j, vm_bytes: v.vm_bytes, energy_j: v.energy_j, energy_utilisation: v.energy_utilisation,
        ...counts,
      };
    }
    const r = costLayerCont(layer, best.design(), platform);
    if (!r.ok) throw new Error(`explorer: best design does not cost: ${r.issues[0]?.message}`);
    return {
      name: layer.name, type: layer.type, feasible: true, design: r.value.design, latency_s: r.value.latency_s, power_cycles: null,
      energy_per_cycle_j: null, vm_bytes: r.value.vm_bytes, energy_j: r.value.energy_j, energy_utilisation: null, ...counts,
    };
  }

  // Infeasible: explain with the nearest failing candidates.
  let leastVmNear: NearCandidate | null = null;
  if (leastVm < Infinity) {
    let e: number | null = null;
    if (isInt) {
      const r = costLayerInt(layer, leastVmPick.design(), platform);
      if (r.ok) e = r.value.energy_per_cycle_max_j;
    }
    leastVmNear = { design: leastVmPick.text(), vm_bytes: leastVm, energy_per_cycle_j: e };
  }
  let leastENear: NearCandidate | null = null;
  if (leastE < Infinity) {
    const r = costLayerInt(layer, leastEPick.design(), platform);
    if (r.ok) { leastE = r.value.energy_per_cycle_max_j; leastENear = { design: r.value.design, vm_bytes: r.value.vm_bytes, energy_per_cycle_j: leastE }; }
  }
  const leastEVm = leastENear?.vm_bytes ?? 0;
  const constraint: 'C0' | 'C1' = passes === 0 && failedC1 === 0 ? 'C0' : 'C1';
  const explanation: InfeasibilityExplanation = {
    constraint, vm_capacity_bytes: cap, budget_j: isInt ? budget : null, least_vm: leastVmNear, least_energy: leastENear,
  };
  let reason: string;
  if (candidates === 0) {
    reason = 'no candidate designs';
  } else if (constraint === 'C0') {
    reason = `C0: none of the ${candidates} designs fits in ${cap} bytes of VM; the smallest, ${leastVmNear?.design}, needs ${leastVm} bytes ` +
      `(${((100 * leastVm) / cap).toFixed(0)} % of VM)`;
  } else {
    reason = `C1: none of the ${failedC1} designs that fit in VM fits one power cycle's ${fmtJ(budget)} budget; the least energy per cycle is ` +
      `${fmtJ(leastE)} (${leastENear?.design}, ${((100 * leastE) / budget).toFixed(0)} % of the budget, ${leastEVm} bytes of VM)`;
    if (leastVmNear && leastVmNear.energy_per_cycle_j !== null && leastVmNear.design !== leastENear?.design) {
      reason += `; the smallest design, ${leastVmNear.design} (${leastVm} bytes), needs ${fmtJ(leastVmNear.energy_per_cycle_j)}`;
    }
  }
  return {
    name: layer.name, type: layer.type, feasible: false, design: null, latency_s: null, power_cycles: null, energy_per_cycle_j: null,
    vm_bytes: null, reason, energy_j: null, energy_utilisation: null, ...counts, explanation,
  };
}
