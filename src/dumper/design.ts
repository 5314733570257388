/** The design string `Tr_Tc_Tm_Tn_reuse_{I|W|O}_S<S>` (ARCHITECTURE.md contracts). */
import { fail, issue, ok, type Result } from '../settings/index.ts';

export const LOOP_ORDERS = ['reuse_I', 'reuse_W', 'reuse_O'] as const;
export type LoopOrder = (typeof LOOP_ORDERS)[number];

export interface ExecDesign {
  readonly tr: number;
  readonly tc: number;
  readonly tm: number;
  readonly tn: number;
  readonly order: LoopOrder;
  readonly s: number;
}

const DESIGN_RE = /^(\d+)_(\d+)_(\d+)_(\d+)_(reuse_[IWO])_S(\d+)$/;

/** Parses a design string; `path` names it in the issue. */
export function parseExecDesign(text: string, path: string): Result<ExecDesign> {
  const m = DESIGN_RE.exec(text.trim());
  if (!m) return fail(issue('unsupported_design', path, `design "${text}" is not of the form Tr_Tc_Tm_Tn_reuse_{I|W|O}_S<S>`));
  const [tr, tc, tm, tn, s] = [m[1], m[2], m[3], m[4], m[6]].map(Number) as [number, number, number, number, number];
  if ([tr, tc, tm, tn, s].some((v) => v < 1)) return fail(issue('unsupported_design', path, `design "${text}": every size must be ≥ 1`));
  return ok({ tr, tc, tm, tn, s, order: m[5] as LoopOrder });
}

/** Firmware enum of a loop order (firmware/runtime/layer.h: the original's LOOPORDER_t values). */
export function orderCode(o: LoopOrder): number {
  return o === 'reuse_O' ? 0 : o === 'reuse_I' ? 1 : 2;
}
