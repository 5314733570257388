/**
 * Rewards. Two functions, selected by `search.reward`:
 *
 * `tecs21` — the original's (reference §3.5), for parity:
 *   gated child (invalid, NVM overflow, no feasible design, latency over Lreq): −0.1;
 *   trained child: r = acc − m + L/(10·Lreq), then m ← β·m + (1−β)·acc (first update bias-corrected so m = acc),
 *   r clipped to [−0.1, 0.1]. The latency term grows with latency (a bonus for using up the budget, §8 item 12).
 *   A proposal identical to the previous one multiplies m by 1.2 (§3.1).
 *
 * `corrected` (default):
 *   trained child: r = acc − m (m: the same bias-corrected moving average of accuracy; r = 0 for the first child);
 *   no latency term: any feasible child is as good as its accuracy.
 *   gated child: r = −1 − min(1, miss), so every gated child ranks below every trained one, and a near miss below a
 *   far one: miss = (L − Lreq)/Lreq for latency, (need − capacity)/capacity for NVM, the fraction of layers without
 *   a feasible design for "no feasible design", 1 for an invalid architecture.
 *
 * Both use an effective accuracy acc = (1 − α)·clean + α·faulty when `search.fault_alpha` = α > 0 (FTT-NAS style).
 */
import type { RewardName } from '../settings/index.ts';

/** Why a child was not trained. */
export const GATE_REASONS = ['invalid_arch', 'nvm_overflow', 'no_feasible_design', 'latency_requirement'] as const;
export type GateReason = (typeof GATE_REASONS)[number];

/** Reward state (JSON-serialisable). */
export interface RewardState {
  readonly name: RewardName;
  /** Moving average of accuracy (m). */
  moving_acc: number;
  /** Bias-correction flag: the first update divides by (1 − β). */
  first_update: boolean;
  readonly beta: number;
}

export function createRewardState(name: RewardName, beta: number): RewardState {
  return { name, moving_acc: 0, first_update: true, beta };
}

const clip = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Reward of a gated child. `miss` ≥ 0 says how far the constraint is missed (see the module comment). */
export function gatedReward(state: RewardState, reason: GateReason, miss: number, latencyS?: number, latReqS?: number): number {
  if (state.name === 'tecs21') {
    if (reason === 'latency_requirement' && latencyS !== undefined && latReqS !== undefined) {
      return clip((latReqS - latencyS) / (10 * latReqS) - 1, -0.1, 0.1);
    }
    return -0.1;
  }
  const m = reason === 'invalid_arch' ? 1 : Number.isFinite(miss) ? Math.max(0, miss) : 1;
  return -1 - Math.min(1, m);
}

/** Reward of a trained child; updates the moving accuracy. */
export function trainedReward(state: RewardState, accuracy: number, latencyS: number, latReqS: number): number {
  const prev = state.moving_acc;
  const wasFirst = state.first_update;
  let next = state.beta * prev + (1 - state.beta) * accuracy;
  if (state.first_update) { next = next / (1 - state.beta); state.first_update = false; }
  state.moving_acc = next;
  if (state.name === 'tecs21') {
    const perf = Number.isFinite(latReqS) && latReqS > 0 ? latencyS / (latReqS * 10) : 0;
    return clip(accuracy - prev + perf, -0.1, 0.1);
  }
  // corrected: the first child has no baseline yet (reward 0), later ones are compared with the average before them.
  return wasFirst ? 0 : accuracy - prev;
}

/** The original's duplicate-proposal rule (§3.1): m ← 1.2·m (tecs21 only). */
export function noteRepeat(state: RewardState): void {
  if (state.name === 'tecs21') state.moving_acc *= 1.2;
}

/** Effective accuracy with the fault-tolerant blend. */
export function blendAccuracy(clean: number, faulty: number | null, alpha: number): number {
  if (alpha <= 0 || faulty === null) return clean;
  return (1 - alpha) * clean + alpha * faulty;
}
