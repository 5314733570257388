/** Result records of the explorer (iNAS-Exp). */
import type { InasIssue, IssueCode, PowerType, CompatMode } from '../settings/index.ts';

/** A failing candidate close to feasibility, with its numbers. */
export interface NearCandidate {
  readonly design: string;
  readonly vm_bytes: number;
  /** Energy of its most expensive power cycle (INT), or null when not computed (CONT). */
  readonly energy_per_cycle_j: number | null;
}

/** Why a layer has no feasible design. */
export interface InfeasibilityExplanation {
  /** The constraint that rules every candidate out: C0 (VM), C1 (energy per power cycle), or an invalid layer. */
  readonly constraint: 'C0' | 'C1' | 'invalid';
  readonly vm_capacity_bytes: number;
  /** Energy budget of one power cycle (INT), null under CONT. */
  readonly budget_j: number | null;
  /** The candidate needing the least VM (first in enumeration order among equals). */
  readonly least_vm: NearCandidate | null;
  /** Among candidates that fit in VM, the one with the least energy per power cycle (INT only). */
  readonly least_energy: NearCandidate | null;
  /** For an invalid layer: the issue code of its first broken rule (invalid_arch, unknown_layer_type). */
  readonly invalid_code?: IssueCode;
}

/** The explorer's verdict for one layer. */
export interface LayerExploration {
  readonly name: string;
  readonly type: string;
  readonly feasible: boolean;
  /** Best design `Tr_Tc_Tm_Tn_reuse_X_S<S>`, or null. */
  readonly design: string | null;
  /** End-to-end latency of the layer (INT: active + recharge; CONT: whole-layer latency), s. */
  readonly latency_s: number | null;
  /** Power cycles (INT), null under CONT. */
  readonly power_cycles: number | null;
  /** Energy of the most expensive power cycle (INT), null under CONT. */
  readonly energy_per_cycle_j: number | null;
  readonly vm_bytes: number | null;
  /** Why infeasible (human text; the numbers are in `explanation`). */
  readonly reason?: string;
  /** Energy the layer consumes (J). */
  readonly energy_j: number | null;
  /** energy_per_cycle_j / budget (INT), null under CONT. */
  readonly energy_utilisation: number | null;
  /** Candidates enumerated (incl. every S), candidates passing C0 and C1, failing C0, failing C1. */
  readonly candidates: number;
  readonly passes: number;
  readonly failed_c0: number;
  readonly failed_c1: number;
  readonly explanation?: InfeasibilityExplanation;
}

/** The explorer's verdict for a network. */
export interface NetworkExploration {
  /** All layers feasible, NVM fits, and the latency requirement is met. */
  readonly feasible: boolean;
  /** Σ layer latencies when every layer is feasible, else null. */
  readonly latency_s: number | null;
  readonly energy_j: number | null;
  readonly power_cycles: number | null;
  readonly candidates: number;
  /** Time spent exploring (ms); the only field that depends on the machine. */
  readonly elapsed_ms: number;
  readonly layers: LayerExploration[];
  /** Network-level problems: infeasible layers (C0/C1), NVM overflow, latency requirement (C2). */
  readonly issues: InasIssue[];
  readonly power: PowerType;
  readonly compat: CompatMode;
  readonly layers_feasible: boolean;
  readonly nvm_bytes: number;
  readonly nvm_ok: boolean;
  readonly latency_requirement_s: number | null;
  /** null when there is no requirement or no latency. */
  readonly meets_latency_requirement: boolean | null;
}

/** Options of exploreNetwork. */
export interface ExploreOptions {
  /** Power type (default: the platform's). */
  readonly power?: PowerType;
  /** Latency requirement in s (default: the platform's); null for none. */
  readonly latencyRequirementS?: number | null;
  /** Stop at the first infeasible layer (as the original does; the NAS uses it to save time). Default false. */
  readonly stopAtFirstInfeasible?: boolean;
}
