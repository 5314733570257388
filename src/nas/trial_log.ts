/**
 * Trial records and the trial logs of a run: `trials.jsonl` (one object per trial) and `trials.csv` with the
 * original's columns (reference §3.7: ';'-separated [timestamp, trial#, accuracy, reward, loss, str(arch list),
 * str(exec design list)], first row = the start timestamp).
 */
import type { GateReason } from './reward.ts';

/** One trial of a search. */
export interface TrialRecord {
  /** 1-based. */
  readonly trial: number;
  readonly arch: readonly number[];
  /** Passed every gate (built, fits NVM, feasible design, meets the latency requirement). */
  readonly feasible: boolean;
  /** Why it was gated (null when feasible). */
  readonly reason: GateReason | null;
  readonly reason_detail: string;
  readonly latency_s: number | null;
  readonly energy_j: number | null;
  readonly power_cycles: number | null;
  /** One design string per layer (null where none is feasible). */
  readonly designs: readonly (string | null)[];
  /** Evaluator accuracy (validation split, fraction), null when not trained. */
  readonly accuracy: number | null;
  /** Accuracy under faults (fault-tolerant reward), null when not used. */
  readonly accuracy_faulty: number | null;
  readonly reward: number;
  /** The evaluator ran for this child (false when gated or served from the cache). */
  readonly trained: boolean;
  readonly cached: boolean;
  readonly eval_s: number;
  readonly timestamp_utc: string;
}

/** Renders trials.jsonl. */
export function renderJsonl(trials: readonly TrialRecord[]): string {
  return trials.map((t) => JSON.stringify(t)).join('\n') + (trials.length ? '\n' : '');
}

const pyList = (xs: readonly (number | string | null)[]): string =>
  `[${xs.map((x) => (x === null ? 'None' : typeof x === 'string' ? `'${x}'` : String(x))).join(', ')}]`;

/** Renders trials.csv with the original's columns (loss is not tracked per trial: empty). */
export function renderCsv(startUtc: string, trials: readonly TrialRecord[]): string {
  const lines = [startUtc];
  for (const t of trials) {
    lines.push([t.timestamp_utc, String(t.trial), t.accuracy === null ? '0' : String(t.accuracy), String(t.reward), '',
      pyList(t.arch), pyList(t.designs)].join(';'));
  }
  return lines.join('\n') + '\n';
}
