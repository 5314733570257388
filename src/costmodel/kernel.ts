/**
 * Scalar cost kernels of iNAS-PMod (reference §1.4, §1.6–1.8, §1.11). They take plain numbers and write into a
 * caller-owned Float64Array, so the explorer can evaluate 10^5 candidates without allocating. The object-level API
 * (layer_cost.ts) calls the same kernels, so explorer and model agree bit for bit.
 *
 * Sums are evaluated in the original's order (reboot + fetch + loop-index fetch + compute + backup + loop-index
 * backup), and counts are integer products formed before they multiply a cost, so candidates that are
 * mathematically tied stay exactly tied and the VM tie-break decides, as in the original.
 */
import type { CostTable } from '../platform/index.ts';
import { KIND_CONV, KIND_GAVGPOOL } from './dims.ts';
import { ORDER_I, ORDER_O, ORDER_W } from './design.ts';

/** Slots of the per-power-cycle output array (length PC_SLOTS). */
export const PC = {
  E_RB: 0, E_FD_MAX: 1, E_FD_MIN: 2, E_FL: 3, E_CP: 4, E_BD: 5, E_BL: 6,
  L_RB: 7, L_FD_MAX: 8, L_FD_MIN: 9, L_FL: 10, L_CP: 11, L_BD: 12, L_BL: 13,
  E_MAX: 14, E_MIN: 15, L_MAX: 16, L_MIN: 17,
} as const;
export const PC_SLOTS = 18;

/** Slots of the continuous-power output array (length CONT_SLOTS). */
export const CT = { E_FD: 0, E_CP: 1, E_BD: 2, E: 3, L_FD: 4, L_CP: 5, L_BD: 6, L: 7 } as const;
export const CONT_SLOTS = 8;

/** VM bytes of a design (§1.4): (B_in + B_w + B_out)·DATA_SZ. */
export function vmBytesOf(kind: number, Kh: number, Kw: number, Tri: number, Tci: number, Tr: number, Tc: number, Tm: number, Tn: number,
  order: number, S: number, dataSizeBytes: number): number {
  if (kind === KIND_CONV) {
    const out = order === ORDER_O ? Tr * Tc * Tm : Tr * Tc * Tm * S;
    return (Tri * Tci * Tn + Kh * Kw * Tm * Tn + out) * dataSizeBytes;
  }
  if (kind === KIND_GAVGPOOL) return (Tr * Tc * Tm + Tm * S) * dataSizeBytes;
  return (Tri * Tci * Tn + Tr * Tc * Tm * S) * dataSizeBytes;
}

/**
 * Energy of one power cycle under intermittent power (§1.6 CONV/FC, §1.7 POOL/GAVGPOOL): fills E_* slots and
 * E_MAX (cycles that re-fetch partial sums, n > 0) / E_MIN (n = 0). The caller applies "no n>0 cycles ⇒ max := min".
 */
export function intCycleEnergy(t: CostTable, kind: number, Kh: number, Kw: number, Tri: number, Tci: number, Tr: number, Tc: number,
  Tm: number, Tn: number, order: number, S: number, out: Float64Array): void {
  const rdTm = t.rdEa * Tm + t.rdEb;
  let fdMax: number, fdMin: number, cp: number, bd: number;
  if (kind === KIND_CONV) {
    const rdTn = t.rdEa * Tn + t.rdEb;
    const nI = Tri * Tci, nW = Kh * Kw * Tm, nO = Tr * Tc;
    const fI = nI * (rdTn + t.fdIE);
    const fW = nW * (rdTn + t.fdWE);
    if (order === ORDER_I) {
      const fO = nO * (rdTm + t.fdORuiE);
      fdMax = S * (fW + fO) + fI;
      fdMin = S * fW + fI;
      bd = Tr * Tc * ((t.wrEa * (S * Tm) + t.wrEb) + t.bdORuiE);
    } else if (order === ORDER_W) {
      const fO = nO * (rdTm + t.fdORuwE);
      fdMax = S * (fI + fO) + fW;
      fdMin = S * fI + fW;
      bd = S * Tr * Tc * ((t.wrEa * Tm + t.wrEb) + t.bdORuwE);
    } else {
      const fO = nO * (rdTm + t.fdORuoE);
      fdMax = S * (fI + fW) + fO;
      fdMin = S * (fI + fW);
      bd = Tr * Tc * ((t.wrEa * Tm + t.wrEb) + t.bdORuoE);
    }
    cp = S * Kh * Kw * Tr * Tc * Tm * ((t.macEa * Tn + t.macEb) + t.addE + t.psumE + t.acumE);
  } else {
    const nI = Tri * Tci;
    fdMax = S * nI * (rdTm + t.fdIE) + (rdTm + t.fdORuoE);
    fdMin = fdMax;
    cp = S * Tr * Tc * Tm * (t.maxCmpE + t.maxOvhdE);
    bd = (t.wrEa * Tm + t.wrEb) + t.bdORuoE;
  }
  const rb = t.rbE;
  const fl = t.rdEa * 4 + t.rdEb;
  const bl = t.wrEa * 4 + t.wrEb;
  out[0] = rb; out[1] = fdMax; out[2] = fdMin; out[3] = fl; out[4] = cp; out[5] = bd; out[6] = bl;
  out[14] = rb + fdMax + fl + cp + bd + bl;
  out[15] = rb + fdMin + fl + cp + bd + bl;
}

/** Latency of one power cycle (same structure as `intCycleEnergy`): fills L_* slots, L_MAX and L_MIN. */
export function intCycleLatency(t: CostTable, kind: number, Kh: number, Kw: number, Tri: number, Tci: number, Tr: number, Tc: number,
  Tm: number, Tn: number, order: number, S: number, out: Float64Array): void {
  const clk = t.clockHz;
  const rdTm = (t.rdCa * Tm + t.rdCb) / clk;
  let fdMax: number, fdMin: number, cp: number, bd: number;
  if (kind === KIND_CONV) {
    const rdTn = (t.rdCa * Tn + t.rdCb) / clk;
    const nI = Tri * Tci, nW = Kh * Kw * Tm, nO = Tr * Tc;
    const fI = nI * (rdTn + t.fdIL);
    const fW = nW * (rdTn + t.fdWL);
    if (order === ORDER_I) {
      const fO = nO * (rdTm + t.fdORuiL);
      fdMax = S * (fW + fO) + fI;
      fdMin = S * fW + fI;
      bd = Tr * Tc * ((t.wrCa * (S * Tm) + t.wrCb) / clk + t.bdORuiL);
    } else if (order === ORDER_W) {
      const fO = nO * (rdTm + t.fdORuwL);
      fdMax = S * (fI + fO) + fW;
      fdMin = S * fI + fW;
      bd = S * Tr * Tc * ((t.wrCa * Tm + t.wrCb) / clk + t.bdORuwL);
    } else {
      const fO = nO * (rdTm + t.fdORuoL);
      fdMax = S * (fI + fW) + fO;
      fdMin = S * (fI + fW);
      bd = Tr * Tc * ((t.wrCa * Tm + t.wrCb) / clk + t.bdORuoL);
    }
    cp = S * Kh * Kw * Tr * Tc * Tm * ((t.macCa * Tn + t.macCb) / clk + t.addL + t.psumL + t.acumL);
  } else {
    const nI = Tri * Tci;
    fdMax = S * nI * (rdTm + t.fdIL) + (rdTm + t.fdORuoL);
    fdMin = fdMax;
    cp = S * Tr * Tc * Tm * (t.maxCmpL + t.maxOvhdL);
    bd = (t.wrCa * Tm + t.wrCb) / clk + t.bdORuoL;
  }
  const rb = t.rbL;
  const fl = (t.rdCa * 4 + t.rdCb) / clk;
  const bl = (t.wrCa * 4 + t.wrCb) / clk;
  out[7] = rb; out[8] = fdMax; out[9] = fdMin; out[10] = fl; out[11] = cp; out[12] = bd; out[13] = bl;
  out[16] = rb + fdMax + fl + cp + bd + bl;
  out[17] = rb + fdMin + fl + cp + bd + bl;
}

/**
 * Whole-layer cost under continuous power (§1.11; S = 1, no reboot, no recharge). Rt..Nt are tile counts
 * (R/Tr, C/Tc, M/Tm, N/Tn; POOL/GAVGPOOL: Nt = 1, GAVGPOOL uses H/Tr, W/Tc). Fills the CT slots.
 */
export function contLayerCost(t: CostTable, kind: number, Kh: number, Kw: number, Tri: number, Tci: number, Tr: number, Tc: number,
  Tm: number, Tn: number, order: number, Rt: number, Ct: number, Mt: number, Nt: number, out: Float64Array): void {
  const clk = t.clockHz;
  const T = Rt * Ct * Mt * Nt;
  const rdTmE = t.rdEa * Tm + t.rdEb, rdTmL = (t.rdCa * Tm + t.rdCb) / clk;
  let fdE: number, fdL: number, cpE: number, cpL: number, bdE: number, bdL: number;
  if (kind === KIND_CONV) {
    const rdTnE = t.rdEa * Tn + t.rdEb, rdTnL = (t.rdCa * Tn + t.rdCb) / clk;
    const nI = Tri * Tci, nW = Kh * Kw * Tm, nO = Tr * Tc;
    const ngt0Tiles = T - Rt * Ct * Mt;
    if (order === ORDER_I) {
      fdE = Rt * Ct * Nt * nI * (rdTnE + t.fdIE) + T * nW * (rdTnE + t.fdWE) + ngt0Tiles * nO * (rdTmE + t.fdORuiE);
      fdL = Rt * Ct * Nt * nI * (rdTnL + t.fdIL) + T * nW * (rdTnL + t.fdWL) + ngt0Tiles * nO * (rdTmL + t.fdORuiL);
      bdE = T * (Tr * Tc * ((t.wrEa * Tm + t.wrEb) + t.bdORuiE));
      bdL = T * (Tr * Tc * ((t.wrCa * Tm + t.wrCb) / clk + t.bdORuiL));
    } else if (order === ORDER_W) {
      fdE = T * nI * (rdTnE + t.fdIE) + Mt * Nt * nW * (rdTnE + t.fdWE) + ngt0Tiles * nO * (rdTmE + t.fdORuwE);
      fdL = T * nI * (rdTnL + t.fdIL) + Mt * Nt * nW * (rdTnL + t.fdWL) + ngt0Tiles * nO * (rdTmL + t.fdORuwL);
      bdE = T * (Tr * Tc * ((t.wrEa * Tm + t.wrEb) + t.bdORuwE));
      bdL = T * (Tr * Tc * ((t.wrCa * Tm + t.wrCb) / clk + t.bdORuwL));
    } else {
      fdE = T * nI * (rdTnE + t.fdIE) + T * nW * (rdTnE + t.fdWE);
      fdL = T * nI * (rdTnL + t.fdIL) + T * nW * (rdTnL + t.fdWL);
      bdE = T * (Tr * Tc * ((t.wrEa * Tm + t.wrEb) + t.bdORuoE));
      bdL = T * (Tr * Tc * ((t.wrCa * Tm + t.wrCb) / clk + t.bdORuoL));
    }
    cpE = T * (Kh * Kw * Tr * Tc * Tm * ((t.macEa * Tn + t.macEb) + t.addE + t.psumE + t.acumE));
    cpL = T * (Kh * Kw * Tr * Tc * Tm * ((t.macCa * Tn + t.macCb) / clk + t.addL + t.psumL + t.acumL));
  } else {
    const nI = Tri * Tci;
    fdE = T * (nI * (rdTmE + t.fdIE) + (rdTmE + t.fdORuoE));
    fdL = T * (nI * (rdTmL + t.fdIL) + (rdTmL + t.fdORuoL));
    cpE = T * Tr * Tc * Tm * (t.maxCmpE + t.maxOvhdE);
    cpL = T * Tr * Tc * Tm * (t.maxCmpL + t.maxOvhdL);
    bdE = T * ((t.wrEa * Tm + t.wrEb) + t.bdORuoE);
    bdL = T * ((t.wrCa * Tm + t.wrCb) / clk + t.bdORuoL);
  }
  out[0] = fdE; out[1] = cpE; out[2] = bdE; out[3] = fdE + cpE + bdE;
  out[4] = fdL; out[5] = cpL; out[6] = bdL; out[7] = fdL + cpL + bdL;
}

/** Tile counts along each loop for a design: [Rt, Ct, Mt, Nt] (GAVGPOOL tiles the IFM: H/Tr, W/Tc). */
export function tileCounts(kind: number, H: number, W: number, R: number, C: number, M: number, N: number,
  Tr: number, Tc: number, Tm: number, Tn: number): [number, number, number, number] {
  if (kind === KIND_GAVGPOOL) return [H / Tr, W / Tc, M / Tm, 1];
  if (kind === KIND_CONV) return [R / Tr, C / Tc, M / Tm, N / Tn];
  return [R / Tr, C / Tc, M / Tm, 1];
}

/** The loop that S batches (§1.3): reuse_I M/Tm, reuse_W (R/Tr)(C/Tc), reuse_O N/Tn; POOL M/Tm; GAVGPOOL (H/Tr)(W/Tc). */
export function batchedIterations(kind: number, order: number, Rt: number, Ct: number, Mt: number, Nt: number): number {
  if (kind === KIND_GAVGPOOL) return Rt * Ct;
  if (kind !== KIND_CONV) return Mt;
  return order === ORDER_I ? Mt : order === ORDER_W ? Rt * Ct : Nt;
}

/** Power cycles (§1.8): [npc, n0 (cycles with n = 0), ngt0]. */
export function powerCycleCounts(kind: number, order: number, Rt: number, Ct: number, Mt: number, Nt: number, S: number): [number, number, number] {
  if (kind !== KIND_CONV) {
    const npc = (Rt * Ct * Mt) / S;
    return [npc, npc, 0];
  }
  const npc = (Rt * Ct * Mt * Nt) / S;
  const n0 = order === ORDER_O ? Rt * Ct * Mt : (Rt * Ct * Mt) / S;
  return [npc, n0, npc - n0];
}

/** Slots of the affine coefficients (value(S) ≈ A + B·S) written by `affineCycleCoefficients`. */
export const AF = { EMAX_A: 0, EMAX_B: 1, EMIN_A: 2, EMIN_B: 3, LMAX_A: 4, LMAX_B: 5, LMIN_A: 6, LMIN_B: 7 } as const;
export const AF_SLOTS = 8;
/** Length of the order-independent scratch written by `affineTileTerms`. */
export const AT_SLOTS = 16;

/**
 * Order-independent parts of the affine per-cycle cost of one tile shape (see `affineCycleCoefficients`), so the
 * explorer computes them once per (Tr, Tc, Tm, Tn) and not once per loop order.
 */
export function affineTileTerms(t: CostTable, kind: number, Kh: number, Kw: number, Tri: number, Tci: number, Tr: number, Tc: number,
  Tm: number, Tn: number, at: Float64Array): void {
  const inv = 1 / t.clockHz;
  at[0] = t.rbE + (t.rdEa * 4 + t.rdEb) + (t.wrEa * 4 + t.wrEb);
  at[1] = t.rbL + (t.rdCa * 4 + t.rdCb) * inv + (t.wrCa * 4 + t.wrCb) * inv;
  const rdTmE = t.rdEa * Tm + t.rdEb, rdTmL = (t.rdCa * Tm + t.rdCb) * inv;
  at[2] = rdTmE; at[3] = rdTmL;
  at[4] = t.wrEa * Tm + t.wrEb; at[5] = (t.wrCa * Tm + t.wrCb) * inv;
  const nI = Tri * Tci;
  if (kind !== KIND_CONV) {
    at[6] = nI * (rdTmE + t.fdIE); at[7] = nI * (rdTmL + t.fdIL);
    at[8] = 0; at[9] = 0;
    at[10] = Tr * Tc * Tm * (t.maxCmpE + t.maxOvhdE); at[11] = Tr * Tc * Tm * (t.maxCmpL + t.maxOvhdL);
  } else {
    const rdTnE = t.rdEa * Tn + t.rdEb, rdTnL = (t.rdCa * Tn + t.rdCb) * inv;
    const nW = Kh * Kw * Tm;
    at[6] = nI * (rdTnE + t.fdIE); at[7] = nI * (rdTnL + t.fdIL);
    at[8] = nW * (rdTnE + t.fdWE); at[9] = nW * (rdTnL + t.fdWL);
    const calls = Kh * Kw * Tr * Tc * Tm;
    at[10] = calls * ((t.macEa * Tn + t.macEb) + t.addE + t.psumE + t.acumE);
    at[11] = calls * ((t.macCa * Tn + t.macCb) * inv + t.addL + t.psumL + t.acumL);
  }
  at[12] = Tr * Tc; at[13] = Tm; at[14] = inv; at[15] = kind;
}

/** Affine coefficients of one loop order from the terms of `affineTileTerms` (a handful of flops). */
export function affineFromTerms(t: CostTable, order: number, at: Float64Array, co: Float64Array): void {
  const k0E = at[0]!, k0L = at[1]!, rdTmE = at[2]!, rdTmL = at[3]!, wrTmE = at[4]!, wrTmL = at[5]!;
  const fIE = at[6]!, fIL = at[7]!, fWE = at[8]!, fWL = at[9]!, cpE = at[10]!, cpL = at[11]!, nO = at[12]!, Tm = at[13]!, inv = at[14]!;
  if (at[15] !== KIND_CONV) {
    const aE = k0E + (rdTmE + t.fdORuoE) + wrTmE + t.bdORuoE, bE = fIE + cpE;
    const aL = k0L + (rdTmL + t.fdORuoL) + wrTmL + t.bdORuoL, bL = fIL + cpL;
    co[0] = aE; co[1] = bE; co[2] = aE; co[3] = bE; co[4] = aL; co[5] = bL; co[6] = aL; co[7] = bL;
    return;
  }
  if (order === ORDER_I) {
    const fOE = nO * (rdTmE + t.fdORuiE), fOL = nO * (rdTmL + t.fdORuiL);
    const bdAE = nO * (t.wrEb + t.bdORuiE), bdBE = nO * (t.wrEa * Tm);
    const bdAL = nO * (t.wrCb * inv + t.bdORuiL), bdBL = nO * (t.wrCa * Tm * inv);
    co[0] = k0E + fIE + bdAE; co[1] = fWE + fOE + cpE + bdBE;
    co[2] = co[0]; co[3] = fWE + cpE + bdBE;
    co[4] = k0L + fIL + bdAL; co[5] = fWL + fOL + cpL + bdBL;
    co[6] = co[4]; co[7] = fWL + cpL + bdBL;
  } else if (order === ORDER_W) {
    const fOE = nO * (rdTmE + t.fdORuwE), fOL = nO * (rdTmL + t.fdORuwL);
    const bdE = nO * (wrTmE + t.bdORuwE), bdL = nO * (wrTmL + t.bdORuwL);
    co[0] = k0E + fWE; co[1] = fIE + fOE + cpE + bdE;
    co[2] = co[0]; co[3] = fIE + cpE + bdE;
    co[4] = k0L + fWL; co[5] = fIL + fOL + cpL + bdL;
    co[6] = co[4]; co[7] = fIL + cpL + bdL;
  } else {
    const fOE = nO * (rdTmE + t.fdORuoE), fOL = nO * (rdTmL + t.fdORuoL);
    const bdE = nO * (wrTmE + t.bdORuoE), bdL = nO * (wrTmL + t.bdORuoL);
    co[0] = k0E + fOE + bdE; co[1] = fIE + fWE + cpE;
    co[2] = k0E + bdE; co[3] = co[1];
    co[4] = k0L + fOL + bdL; co[5] = fIL + fWL + cpL;
    co[6] = k0L + bdL; co[7] = co[5];
  }
}

/**
 * Energy and latency of one power cycle as affine functions of the preservation batch S (every term of §1.6/§1.7 is
 * constant or proportional to S): writes A and B of E_MAX, E_MIN, L_MAX, L_MIN. The same formulas regrouped, so the
 * values agree with `intCycleEnergy`/`intCycleLatency` to ~1e-15 relative but not bit for bit: the explorer uses
 * them only for classification and bounds, and re-evaluates any candidate that can win with the exact kernels.
 */
export function affineCycleCoefficients(t: CostTable, kind: number, Kh: number, Kw: number, Tri: number, Tci: number, Tr: number, Tc: number,
  Tm: number, Tn: number, order: number, co: Float64Array): void {
  const at = new Float64Array(AT_SLOTS);
  affineTileTerms(t, kind, Kh, Kw, Tri, Tci, Tr, Tc, Tm, Tn, at);
  affineFromTerms(t, order, at, co);
}
