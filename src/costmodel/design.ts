/**
 * Execution + preservation design of one layer (reference §1.2, §2.2): tile sizes Tr, Tc, Tm, Tn, the inter-tile
 * loop order and the preservation batch S, written `Tr_Tc_Tm_Tn_reuse_X_S<S>` (e.g. `2_26_1_4_reuse_I_S8`).
 */
import { fail, issue, ok, type Result } from '../settings/index.ts';

/** Inter-tile loop orders, in the original's enumeration order. */
export const REUSE_ORDERS = ['reuse_I', 'reuse_W', 'reuse_O'] as const;
export type ReuseOrder = (typeof REUSE_ORDERS)[number];

/** Numeric code of an order (index into REUSE_ORDERS), used by the scalar kernels. */
export const ORDER_I = 0;
export const ORDER_W = 1;
export const ORDER_O = 2;

/** A layer's design. */
export interface Design {
  readonly tr: number;
  readonly tc: number;
  readonly tm: number;
  readonly tn: number;
  readonly order: ReuseOrder;
  /** Preservation batch: tiles computed per power cycle before their outputs are backed up. */
  readonly s: number;
}

const DESIGN_RE = /^(\d+)_(\d+)_(\d+)_(\d+)_(reuse_[IWO])(?:_S(\d+))?$/;

/** Parses a design string; `_S<S>` may be omitted (S = 1, as the original's parser assumes). */
export function parseDesign(text: string, path = 'design'): Result<Design> {
  const m = DESIGN_RE.exec(text.trim());
  if (!m) {
    return fail(issue('invalid_argument', path, `expected a design like "2_26_1_4_reuse_I_S8" (Tr_Tc_Tm_Tn_reuse_{I|W|O}_S<S>), got "${text}"`, { actual: text }));
  }
  const nums = [m[1], m[2], m[3], m[4], m[6] ?? '1'].map(Number);
  const [tr = 0, tc = 0, tm = 0, tn = 0, s = 0] = nums;
  if (nums.some((v) => v < 1)) {
    return fail(issue('invalid_argument', path, `tile sizes and S must be ≥ 1 (got "${text}")`, { actual: text }));
  }
  return ok({ tr, tc, tm, tn, order: m[5] as ReuseOrder, s });
}

/** Formats a design as `Tr_Tc_Tm_Tn_reuse_X_S<S>`. */
export function formatDesign(d: Design): string {
  return `${d.tr}_${d.tc}_${d.tm}_${d.tn}_${d.order}_S${d.s}`;
}

/** Formats from scalars (no object needed). */
export function formatDesignParts(tr: number, tc: number, tm: number, tn: number, order: number, s: number): string {
  return `${tr}_${tc}_${tm}_${tn}_${REUSE_ORDERS[order] ?? 'reuse_?'}_S${s}`;
}

/** Order code of a ReuseOrder. */
export function orderCode(order: ReuseOrder): number {
  return REUSE_ORDERS.indexOf(order);
}
