/** The evaluator seam of the search: how a child that passed the gates gets its accuracy. */
import type { Network } from '../network/index.ts';
import type { EvaluatorName, Result } from '../settings/index.ts';

/** Accuracy of one child. */
export interface ChildEvaluation {
  /** Validation accuracy (fraction). */
  readonly accuracy: number;
  /** Accuracy under injected faults (fault-tolerant reward); null when not measured. */
  readonly accuracy_faulty: number | null;
}

/** Progress of a long evaluator step (supernet training, stand-alone training). */
export interface EvalProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly status?: string;
}

export interface EvalHooks {
  /** Checked between batches/epochs; an aborted evaluation returns an `interrupted` failure. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: EvalProgress) => void;
}

/**
 * Faulty-accuracy seam (the faults module provides one): accuracy of a child with given weights under faults at a
 * bit error rate. The evaluators call it when `search.fault_alpha` > 0.
 */
export type FaultyAccuracyFn = (net: Network, weights: readonly Float32Array[], opts: { ber: number; seed: number; weightBits?: 16 | 8 }) => Promise<number>;

/** An evaluator. Implementations keep their checkpoints in the run directory so a search resumes. */
export interface Evaluator {
  readonly name: EvaluatorName;
  /** One-off preparation before the trials (supernet training); resumes from its checkpoint. Returns facts for the summary. */
  prepare(hooks: EvalHooks): Promise<Result<Record<string, number | string>>>;
  /** Low-cost accuracy of a child (N epochs of training, or inherited supernet weights). */
  evaluate(net: Network, seed: number, hooks: EvalHooks): Promise<Result<ChildEvaluation>>;
  /** Stand-alone (full-fidelity) accuracy of a child: used for top-k re-training and the supernet's Kendall τ. */
  standalone(net: Network, seed: number, hooks: EvalHooks): Promise<Result<{ readonly accuracy: number }>>;
  /** Releases resources (tfjs tensors). */
  dispose(): void;
}
