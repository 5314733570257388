/**
 * Gating before any training (reference §3.5, §1.13): an architecture is trained only if it builds (valid shapes),
 * fits in NVM, has a feasible execution (and, under INT, preservation) design for every layer, and meets the latency
 * requirement. Otherwise it gets a reward without training, and the reason is logged.
 */
import { buildNetwork, checkNvm, type Network } from '../network/index.ts';
import type { InasIssue, PlatformSettings, SearchSpaceSettings } from '../settings/index.ts';
import type { GateReason } from './reward.ts';

/** The part of the explorer's NetworkExploration the search uses. */
export interface ExplorationLike {
  readonly feasible: boolean;
  readonly latency_s: number | null;
  readonly energy_j: number | null;
  readonly power_cycles: number | null;
  readonly layers: readonly { readonly name: string; readonly feasible: boolean; readonly design: string | null; readonly reason?: string | undefined }[];
  readonly issues: readonly InasIssue[];
}

/** Costs a network on the search's platform and power type (the explorer). */
export type CostFn = (net: Network) => ExplorationLike;

export interface GateResult {
  /** True when the child may be trained. */
  readonly pass: boolean;
  readonly reason: GateReason | null;
  /** Human-readable detail of the reason. */
  readonly detail: string;
  /** How far the constraint is missed (≥ 0), for the corrected reward. */
  readonly miss: number;
  readonly net: Network | null;
  readonly exploration: ExplorationLike | null;
}

/** Runs the gates in order: build, NVM, explorer, latency requirement. */
export function gateArchitecture(arch: readonly number[], space: SearchSpaceSettings, platform: PlatformSettings, cost: CostFn,
  latencyRequirementS: number): GateResult {
  const built = buildNetwork(arch, space);
  if (!built.ok) {
    return { pass: false, reason: 'invalid_arch', detail: built.issues.map((i) => i.message).join('; '), miss: 1, net: null, exploration: null };
  }
  const net = built.value;
  const nvm = checkNvm(net, platform.data_size_bytes, platform.nvm_capacity_bytes);
  if (!nvm.ok) {
    const need = Number(nvm.issues[0]?.data?.['need_bytes'] ?? platform.nvm_capacity_bytes);
    return { pass: false, reason: 'nvm_overflow', detail: nvm.issues.map((i) => i.message).join('; '),
      miss: (need - platform.nvm_capacity_bytes) / platform.nvm_capacity_bytes, net, exploration: null };
  }
  const ex = cost(net);
  if (!ex.feasible || ex.latency_s === null) {
    const bad = ex.layers.filter((l) => !l.feasible);
    const detail = bad.length
      ? bad.map((l) => `${l.name}: ${l.reason ?? 'no feasible design'}`).join('; ')
      : ex.issues.map((i) => i.message).join('; ') || 'no feasible design';
    return { pass: false, reason: 'no_feasible_design', detail, miss: ex.layers.length ? bad.length / ex.layers.length : 1, net, exploration: ex };
  }
  if (ex.latency_s > latencyRequirementS) {
    return { pass: false, reason: 'latency_requirement',
      detail: `latency ${ex.latency_s.toPrecision(4)} s exceeds the requirement ${latencyRequirementS.toPrecision(4)} s`,
      miss: (ex.latency_s - latencyRequirementS) / latencyRequirementS, net, exploration: ex };
  }
  return { pass: true, reason: null, detail: '', miss: 0, net, exploration: ex };
}
