/** Records of the iNAS vs HW-NAS comparison (see compare.ts). */

/** One child costed under intermittent power. */
export interface IntCost {
  readonly feasible: boolean;
  readonly latency_s: number | null;
  /** Why infeasible (layer reasons). */
  readonly reason: string;
}

/** One row of the comparison (one run id). */
export interface CompareRow {
  readonly run: number;
  readonly seed: number;
  readonly inas_dir: string;
  readonly hwnas_dir: string;
  readonly inas_arch: readonly number[] | null;
  readonly inas_accuracy: number | null;
  readonly inas_latency_s: number | null;
  readonly hwnas_arch: readonly number[] | null;
  readonly hwnas_accuracy: number | null;
  /** HW-NAS latency under continuous power (what it optimised). */
  readonly hwnas_cont_latency_s: number | null;
  /** HW-NAS designs with S = 1 under intermittent power. */
  readonly hwnas_int_s1: IntCost | null;
  /** HW-NAS architecture re-explored under intermittent power. */
  readonly hwnas_int_best: IntCost | null;
  /** 1 − L(iNAS)/L(HW-NAS S=1), when both are feasible. */
  readonly reduction_vs_s1: number | null;
  readonly reduction_vs_best: number | null;
  readonly inas_feasible_children: number;
  readonly hwnas_children_int_feasible: number;
  readonly hwnas_children: number;
}

/** A scatter point: a trained child, accuracy vs intermittent latency. */
export interface ComparePoint {
  readonly run: number;
  readonly source: 'inas' | 'hwnas_s1' | 'hwnas_best';
  readonly accuracy: number;
  readonly latency_s: number | null;
  readonly feasible: boolean;
}

export interface CompareResult {
  readonly settings_name: string;
  readonly trials: number;
  readonly rows: readonly CompareRow[];
  readonly points: readonly ComparePoint[];
  readonly mean_reduction_vs_s1: number | null;
  readonly mean_reduction_vs_best: number | null;
  readonly latency_requirements_s: { readonly int: number[]; readonly cont: number[] };
}

