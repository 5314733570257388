/**
 * Fault-injection campaigns: plan the number of runs (fixed, or from a margin and confidence), execute them on both
 * cores (worker threads), aggregate accuracy / SDC / DUE with Wilson intervals and percentile bands, per-layer and
 * per-bit vulnerability, and write a replayable log of every injected fault.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { QModel } from '../quant/index.ts';
import { buildEvalSet, cleanWeightCrcs, runOnce, type DueKind, type Protection, type RunOutcome } from './engine_ts.ts';
import { bitsWidthIssue, faultSpace, populationSize, type FaultTensor } from './sample.ts';
import type { FaultSpec } from './spec.ts';
import { leveugleSampleSize, percentile, ruleOfThree, wilsonInterval } from './stats.ts';

export interface CampaignOptions {
  readonly spec: FaultSpec;
  readonly seed: number;
  /** Exact number of runs, or plan them from margin/confidence (Leveugle 2009). */
  readonly runs?: number;
  readonly margin?: number;
  readonly confidence?: number;
  readonly protect?: Protection;
  /** Worker threads (default: all cores, capped by the number of runs; 0 = run in this thread). */
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** With workers: this thread computes runs too until the workers have started (default true). */
  readonly shareMainThread?: boolean;
  /** TS engine: the fast path (default true); false runs the full reference from the first faulty layer. */
  readonly fast?: boolean;
}

export interface Vulnerability {
  readonly key: string;
  readonly faults: number;
  /** Runs containing a fault here that produced at least one SDC. */
  readonly sdc_runs: number;
  readonly runs: number;
  readonly rate: number;
}

export interface CampaignResult {
  readonly engine: 'ts' | 'firmware';
  readonly runs: number;
  readonly planned_runs: number;
  readonly population: number;
  readonly inferences_per_run: number;
  readonly accuracy: { readonly clean: number; readonly mean: number; readonly ci95: [number, number]; readonly p5: number; readonly p50: number; readonly p95: number };
  readonly sdc_rate: { readonly mean: number; readonly ci95: [number, number]; readonly upper95_if_zero: number | null };
  readonly due_rate: number;
  readonly due_ci95: [number, number];
  readonly due_kinds: Partial<Record<DueKind, number>>;
  readonly faults_logged: number;
  readonly per_layer: readonly Vulnerability[];
  readonly per_bit: readonly Vulnerability[];
  readonly elapsed_s: number;
  readonly runs_per_min: number;
  readonly outcomes: readonly RunOutcome[];
}

/** Number of runs to do for the options (fixed, or Leveugle's n for the margin/confidence and population). */
export function plannedRuns(q: QModel, opts: CampaignOptions, space?: readonly FaultTensor[]): Result<{ runs: number; population: number }> {
  if (!space && opts.spec.target === 'state') return fail(issue('invalid_argument', '--target', 'target "state" (the runtime\'s own NVM records) needs --engine firmware'));
  if (!space && opts.spec.target === 'psums') return fail(issue('invalid_argument', '--target', 'target "psums" (partial sums between accumulation steps of the tiled firmware) needs --engine firmware'));
  const faultTensors = space ?? faultSpace(q, opts.spec);
  const population = opts.spec.amount.kind === 'count' && opts.spec.amount.count === 1 && opts.spec.persistence === 'permanent'
    ? populationSize(faultTensors, opts.spec) : Infinity;
  if (faultTensors.length === 0) {
    return fail(issue('invalid_argument', '--target', `the model has nothing to corrupt for target "${opts.spec.target}"${opts.spec.layers.length ? ` in layers ${opts.spec.layers.join(', ')}` : ''}`));
  }
  const narrow = bitsWidthIssue(faultTensors, opts.spec);
  if (narrow) return fail(narrow);
  if (opts.runs !== undefined) return ok({ runs: opts.runs, population });
  const margin = opts.margin ?? 0.01, confidence = opts.confidence ?? 0.95;
  if (!(margin > 0 && margin < 1)) return fail(issue('invalid_argument', '--margin', `must be in (0, 1) (got ${margin})`));
  if (!(confidence > 0 && confidence < 1)) return fail(issue('invalid_argument', '--confidence', `must be in (0, 1) (got ${confidence})`));
  return ok({ runs: leveugleSampleSize(margin, confidence, population), population });
}

/** Aggregates run outcomes into campaign statistics. */
export function summarize(outcomes: readonly RunOutcome[], clean: number, inferencesPerRun: number, planned: number, population: number, elapsedS: number, engine: 'ts' | 'firmware'): CampaignResult {
  let correct = 0, sdc = 0, inf = 0, dueRuns = 0, faults = 0;
  const dueKinds: Partial<Record<DueKind, number>> = {};
  const accs: number[] = [];
  const layer = new Map<string, { faults: number; sdc: number; runs: number }>();
  const bit = new Map<string, { faults: number; sdc: number; runs: number }>();
  for (const o of outcomes) {
    correct += o.correct;
    sdc += o.sdc;
    inf += o.inferences;
    faults += o.faults.length;
    if (o.due) { dueRuns++; dueKinds[o.due] = (dueKinds[o.due] ?? 0) + 1; }
    accs.push(o.correct / Math.max(1, inferencesPerRun));
    const seenL = new Set<string>(), seenB = new Set<string>();
    for (const f of o.faults) {
      const lk = f.layer;
      const e = layer.get(lk) ?? { faults: 0, sdc: 0, runs: 0 };
      e.faults++;
      if (!seenL.has(lk)) { e.runs++; if (o.sdc > 0) e.sdc++; seenL.add(lk); }
      layer.set(lk, e);
      for (const b of f.bits.length ? f.bits : [-1]) {
        const bk = b < 0 ? 'word' : `bit${b}`;
        const be = bit.get(bk) ?? { faults: 0, sdc: 0, runs: 0 };
        be.faults++;
        if (!seenB.has(bk)) { be.runs++; if (o.sdc > 0) be.sdc++; seenB.add(bk); }
        bit.set(bk, be);
      }
    }
  }
  const total = outcomes.length * inferencesPerRun;
  const vul = (m: Map<string, { faults: number; sdc: number; runs: number }>): Vulnerability[] =>
    [...m.entries()].map(([key, v]) => ({ key, faults: v.faults, sdc_runs: v.sdc, runs: v.runs, rate: v.runs ? v.sdc / v.runs : 0 }));
  const bitOrder = (k: string): number => (k === 'word' ? 99 : Number(k.slice(3)));
  return {
    engine,
    runs: outcomes.length,
    planned_runs: planned,
    population: Number.isFinite(population) ? population : -1,
    inferences_per_run: inferencesPerRun,
    accuracy: {
      clean,
      mean: total ? correct / total : 0,
      ci95: wilsonInterval(correct, total),
      p5: percentile(accs, 0.05), p50: percentile(accs, 0.5), p95: percentile(accs, 0.95),
    },
    sdc_rate: { mean: inf ? sdc / inf : 0, ci95: wilsonInterval(sdc, inf), upper95_if_zero: sdc === 0 ? ruleOfThree(inf) : null },
    due_rate: outcomes.length ? dueRuns / outcomes.length : 0,
    due_ci95: wilsonInterval(dueRuns, outcomes.length),
    due_kinds: dueKinds,
    faults_logged: faults,
    per_layer: vul(layer),
    per_bit: vul(bit).sort((a, b) => bitOrder(a.key) - bitOrder(b.key)),
    elapsed_s: elapsedS,
    runs_per_min: elapsedS > 0 ? (outcomes.length / elapsedS) * 60 : 0,
    outcomes,
  };
}

/** Runs a campaign on the TS engine (the integer-exact Q15 reference). */
export async function runTsCampaign(q: QModel, inputs: readonly Int16Array[], labels: Int32Array, opts: CampaignOptions): Promise<Result<CampaignResult>> {
  const plan = plannedRuns(q, opts);
  if (!plan.ok) return plan;
  const { runs, population } = plan.value;
  const protect = opts.protect ?? 'none';
  const t0 = performance.now();
  const set = buildEvalSet(q, inputs, labels);
  let clean = 0;
  for (let i = 0; i < inputs.length; i++) if (set.golden[i] === labels[i]) clean++;
  const cleanAcc = inputs.length ? clean / inputs.length : 0;
  const workers = Math.min(opts.workers ?? availableParallelism(), runs);
  let outcomes: RunOutcome[] = [];
  if (workers <= 1) {
    const space = faultSpace(q, opts.spec);
    const crcs = cleanWeightCrcs(q);
    for (let r = 0; r < runs; r++) {
      outcomes.push(runOnce(q, space, opts.spec, set, opts.seed, r, protect, crcs, opts.fast ?? true));
      if (r % 64 === 0) opts.onProgress?.(r, runs);
    }
  } else {
    // Work sharing: run indices are taken in chunks from a shared atomic counter. A worker's start-up (loading the
    // modules) costs seconds of CPU, so this thread first computes alone for up to WARMUP_MS and starts the workers
    // only when the rest would take longer than SPAWN_AFTER_S; it keeps computing until they are ready, then only
    // collects. A worker that becomes ready after the work ran out is terminated. Outcomes depend only on
    // (seed, run): the result is the same whoever computes a run.
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const CHUNK = 32;
    const space = faultSpace(q, opts.spec);
    const crcs = cleanWeightCrcs(q);
    let ready = 0;
    const finished = Array.from({ length: workers }, () => {
      let resolve!: () => void, reject!: (e: Error) => void;
      const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
      return { promise, resolve, reject };
    });
    const started = finished.map(() => false);
    const share = opts.shareMainThread ?? true;
    const WARMUP_MS = 1000, SPAWN_AFTER_S = 20;
    let last = performance.now();
    const tWarm = last;
    const step = (): boolean => {
      const start = Atomics.add(counter, 0, CHUNK);
      if (start >= runs) return false;
      for (let r = start; r < Math.min(runs, start + CHUNK); r++) outcomes.push(runOnce(q, space, opts.spec, set, opts.seed, r, protect, crcs, opts.fast ?? true));
      return true;
    };
    let more = true;
    if (share) {
      while (performance.now() - tWarm < WARMUP_MS && (more = step())) { /* warm-up */ }
      const rate = outcomes.length / Math.max(1e-3, (performance.now() - tWarm) / 1000);
      if (!more || (runs - outcomes.length) / rate < SPAWN_AFTER_S) {
        while (step()) {
          if (performance.now() - last > 200) { opts.onProgress?.(outcomes.length, runs); last = performance.now(); }
        }
        more = false;
      }
    }
    const pool = (more ? finished : []).map((f, i) => {
      const w = new Worker(new URL('./worker_boot.mjs', import.meta.url), {
        workerData: { q, spec: opts.spec, inputs: [...inputs], labels, seed: opts.seed, runs, chunk: CHUNK, counter: counter.buffer, protect, fast: opts.fast ?? true },
      });
      w.on('message', (m: { ready?: boolean; outcomes?: RunOutcome[]; done?: boolean }) => {
        if (m.ready) {
          if (Atomics.load(counter, 0) >= runs) { void w.terminate(); f.resolve(); return; }
          ready++;
          started[i] = true;
          w.postMessage('go');
          return;
        }
        if (m.outcomes) { outcomes.push(...m.outcomes); opts.onProgress?.(outcomes.length, runs); }
        if (m.done) { void w.terminate(); f.resolve(); }
      });
      w.on('error', (e) => f.reject(e));
      return w;
    });
    if (!more) finished.forEach((f) => f.resolve());
    while (more && ready < workers && share) {
      if (!step()) break;
      if (performance.now() - last > 50) {
        opts.onProgress?.(outcomes.length, runs);
        await new Promise((res) => setImmediate(res)); // let worker messages in
        last = performance.now();
      }
    }
    // The work ran out before some workers started: they hold no runs (they take only after 'go').
    if (share) pool.forEach((w, i) => { if (!started[i]) { void w.terminate(); finished[i]!.resolve(); } });
    await Promise.all(finished.map((f) => f.promise));
    outcomes.sort((a, b) => a.run - b.run);
  }
  opts.onProgress?.(runs, runs);
  const elapsed = (performance.now() - t0) / 1000;
  return ok(summarize(outcomes, cleanAcc, inputs.length, runs, population, elapsed, 'ts'));
}

/** Re-runs one logged run from its seed and checks that it reproduces the logged faults and outcome. */
export function replayRun(q: QModel, inputs: readonly Int16Array[], labels: Int32Array, spec: FaultSpec, seed: number, run: number, protect: Protection): RunOutcome {
  const set = buildEvalSet(q, inputs, labels);
  return runOnce(q, faultSpace(q, spec), spec, set, seed, run, protect, cleanWeightCrcs(q));
}
