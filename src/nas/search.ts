/**
 * The search loop (reference §3.1, with the fixes of §8): propose → gate (build, NVM, explorer, latency) → evaluate
 * (or reward without training) → reward → controller update → log. The whole state is saved atomically after every
 * trial, so a search killed at any moment resumes with no trial lost or repeated; the logs are re-rendered from the
 * state. After the trials: stand-alone re-training of the top-k children, the supernet's Kendall τ, and packaging.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { archChoices, buildNetwork, type Network } from '../network/index.ts';
import {
  createRng, fail, issue, ok, type ControllerName, type EvaluatorName, type InasIssue, type InasSettings, type PowerType, type Result, type RewardName,
} from '../settings/index.ts';
import { createController, type ControllerState } from './controller.ts';
import type { Evaluator, EvalHooks, EvalProgress } from './evaluator.ts';
import type { EvolutionOptions } from './evolution.ts';
import { writeFileAtomic } from './fsutil.ts';
import { gateArchitecture, type CostFn } from './gate.ts';
import { kendallTau } from './kendall.ts';
import { resolveLatencyRequirement, type LatencyRequirement } from './latreq.ts';
import type { ReinforceOptions } from './reinforce.ts';
import { blendAccuracy, createRewardState, gatedReward, noteRepeat, trainedReward, type RewardState } from './reward.ts';
import { archKey, archToIndices, createActionSpace, indicesToArch, randomIndices, type ActionSpace } from './space.ts';
import { renderCsv, renderJsonl, type TrialRecord } from './trial_log.ts';

/** Options of one search (resolved; saved in the state so a resume uses exactly these). */
export interface SearchOptions {
  readonly trials: number;
  readonly controller: ControllerName;
  readonly evaluator: EvaluatorName;
  readonly mode: PowerType;
  readonly reward: RewardName;
  readonly seed: number;
  /** Seconds, or a percentile of random feasible children ("p50"). */
  readonly latency_requirement: number | string;
  /** Feasible random children costed for a percentile requirement. */
  readonly latreq_samples: number;
  /** Children re-trained stand-alone at the end (supernet evaluator). */
  readonly top_k: number;
  /** Children whose supernet and stand-alone accuracies give Kendall τ (supernet evaluator; 0 = skip). */
  readonly tau_samples: number;
  /** Weight of faulty accuracy in the reward (0 = off). */
  readonly fault_alpha: number;
  readonly accuracy_beta: number;
  /** Epochs per child (train evaluator), of stand-alone training (top-k, τ, final model), of supernet training. */
  readonly child_epochs: number;
  readonly standalone_epochs: number;
  readonly supernet_epochs: number;
  readonly reinforce: Partial<ReinforceOptions>;
  readonly evolution: Partial<EvolutionOptions>;
}

/** Result of the final phase. */
export interface FinalState {
  /** Stand-alone accuracy per architecture key. */
  standalone: Record<string, number>;
  /** Supernet (or evaluator) accuracy of the τ sample, per key. */
  proxy: Record<string, number>;
  tau: number | null;
  tau_children: number;
  best_key: string | null;
  best_standalone_accuracy: number | null;
  package: PackageInfo | null;
  /** Why packaging failed (the search itself completed). */
  package_error?: string | null;
  done: boolean;
}

/** What packaging the best child produced. */
export interface PackageInfo {
  readonly best_json: string;
  readonly accuracy_float: number | null;
  readonly accuracy_q15: number | null;
  /** Deployed weight width of best.json (absent in runs saved before it was recorded: 16). */
  readonly weight_bits?: 16 | 8;
}

/** The saved search state (state.json). */
export interface SearchState {
  readonly schema_version: 1;
  readonly kind: 'inas-search-state';
  readonly settings: InasSettings;
  readonly options: SearchOptions;
  readonly latency_requirement: LatencyRequirement;
  readonly started_utc: string;
  wall_s: number;
  rng: number[];
  controller: ControllerState;
  reward: RewardState;
  trials: TrialRecord[];
  cache: Record<string, { accuracy: number; accuracy_faulty: number | null }>;
  prev_key: string | null;
  repeat_count: number;
  prepare: Record<string, number | string> | null;
  final: FinalState | null;
}

/** Events the CLI draws. */
export type SearchEvent =
  | { readonly kind: 'phase'; readonly phase: string; readonly message: string }
  | { readonly kind: 'progress'; readonly progress: EvalProgress }
  /** A problem that does not stop the search (e.g. a dataset cache that cannot be written). */
  | { readonly kind: 'warning'; readonly issue: InasIssue }
  | { readonly kind: 'trial'; readonly record: TrialRecord; readonly n: number; readonly total: number; readonly best: TrialRecord | null;
      readonly elapsed_s: number; readonly eta_s: number };

/** The summary of a run (also what `inas search --json` prints, plus details). */
export interface SearchSummary {
  readonly run_dir: string;
  /** Path of best.json, or null when no child was packaged. */
  readonly best: string | null;
  readonly trials: number;
  readonly trained: number;
  readonly gated: number;
  readonly wall_s: number;
  readonly interrupted: boolean;
  readonly best_trial: TrialRecord | null;
  readonly latency_requirement: LatencyRequirement;
  readonly kendall_tau: number | null;
  readonly tau_children: number;
  readonly best_standalone_accuracy: number | null;
  /** Test accuracy of the packaged model (Q15 activations; weights of `weight_bits`). */
  readonly accuracy_q15: number | null;
  /** Deployed weight width: 16 (Q15) or 8 (int8 weights). */
  readonly weight_bits: 16 | 8;
  readonly package_error: string | null;
  readonly gated_by_reason: Record<string, number>;
  readonly mode: PowerType;
  readonly controller: ControllerName;
  readonly evaluator: EvaluatorName;
  /** Problems that did not stop the run (dataset warnings of this session). */
  readonly warnings: readonly InasIssue[];
}

/** Packages the chosen child (train stand-alone + quantize + explore + write best.json): quant's trainAndPackage. */
export type PackageFn = (net: Network, trial: TrialRecord, runDir: string, hooks: EvalHooks) => Promise<Result<PackageInfo>>;

export interface SearchDeps {
  /** The explorer on the search's platform and power type. */
  readonly cost: CostFn;
  readonly evaluator: Evaluator;
  readonly package?: PackageFn;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: SearchEvent) => void;
}

const STATE_FILE = 'state.json';

/** A per-architecture seed, so a child gets the same initial weights whenever (and in whichever run) it is trained. */
export function childSeed(seed: number, arch: readonly number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of archKey(arch)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h % 2147483647;
}

function actionSpace(settings: InasSettings): ActionSpace {
  return createActionSpace(archChoices(settings.search_space), settings.search_space.family === 'fc');
}

/** Creates the state of a new search (resolves the latency requirement). */
export function createSearchState(settings: InasSettings, options: SearchOptions, cost: CostFn): Result<SearchState> {
  const s0: InasSettings = { ...settings, platform: { ...settings.platform, power: options.mode } };
  const lr = resolveLatencyRequirement(options.latency_requirement, s0.search_space, s0.platform, cost,
    { seed: options.seed, samples: options.latreq_samples });
  if (!lr.ok) return lr;
  // The run's settings carry the resolved requirement in seconds (what best.json and the explorer check against).
  const s: InasSettings = { ...s0, platform: { ...s0.platform, latency_requirement_s: lr.value.latency_s } };
  const rng = createRng(options.seed);
  const controller = createController(options.controller, actionSpace(s), rng, { reinforce: options.reinforce, evolution: options.evolution });
  return ok({
    schema_version: 1, kind: 'inas-search-state', settings: s, options, latency_requirement: lr.value, started_utc: new Date().toISOString(),
    wall_s: 0, rng: [...rng.state()], controller: controller.save(), reward: createRewardState(options.reward, options.accuracy_beta),
    trials: [], cache: {}, prev_key: null, repeat_count: 0, prepare: null, final: null,
  });
}

/** Reads a run's state.json. */
export function readSearchState(runDir: string): Result<SearchState> {
  const file = path.join(runDir, STATE_FILE);
  if (!existsSync(file)) return fail(issue('file_not_found', file, `no search state here: ${runDir} is not a search run directory (state.json missing)`));
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(issue('invalid_json', file, `cannot parse the search state: ${(e as Error).message}`));
  }
  const o = v as Partial<SearchState> | null;
  if (!o || o.kind !== 'inas-search-state' || o.schema_version !== 1 || !Array.isArray(o.trials) || !o.options || !o.settings) {
    return fail(issue('invalid_file', file, 'not an inas search state (expected kind "inas-search-state", schema_version 1)'));
  }
  return ok(o as SearchState);
}

/** Saves the state and re-renders the trial logs, each atomically. */
export function saveSearchState(runDir: string, st: SearchState): void {
  writeFileAtomic(path.join(runDir, STATE_FILE), JSON.stringify(st));
  writeFileAtomic(path.join(runDir, 'trials.jsonl'), renderJsonl(st.trials));
  writeFileAtomic(path.join(runDir, 'trials.csv'), renderCsv(st.started_utc, st.trials));
}

/** The best trained child: highest accuracy, then lower latency, then earlier. */
export function bestTrial(trials: readonly TrialRecord[]): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const t of trials) {
    if (!t.feasible || t.accuracy === null) continue;
    if (best === null || (t.accuracy > (best.accuracy ?? -1)) ||
      (t.accuracy === best.accuracy && (t.latency_s ?? Infinity) < (best.latency_s ?? Infinity))) best = t;
  }
  return best;
}

function aborted(signal?: AbortSignal): boolean {
  return signal?.aborted ?? false;
}

/**
 * Runs (or continues) the search in `runDir` from `state` until all trials are done (or `signal` aborts), then the
 * final phase. The state is saved after every trial.
 */
export async function runSearch(runDir: string, state: SearchState, deps: SearchDeps): Promise<Result<SearchSummary>> {
  mkdirSync(runDir, { recursive: true });
  const t0 = Date.now();
  const wallBefore = state.wall_s;
  const wall = (): number => wallBefore + (Date.now() - t0) / 1000;
  const emit = (e: SearchEvent): void => deps.onEvent?.(e);
  const hooks: EvalHooks = {
    ...(deps.signal ? { signal: deps.signal } : {}),
    onProgress: (p) => emit({ kind: 'progress', progress: p }),
  };
  const s = state.settings, o = state.options;
  const space = actionSpace(s);
  const rng = createRng(state.rng);
  const controller = createController(o.controller, space, rng, { reinforce: o.reinforce, evolution: o.evolution }, state.controller);
  const latReqS = state.latency_requirement.latency_s;
  const save = (): void => {
    state.wall_s = wall();
    state.rng = [...rng.state()];
    state.controller = controller.save();
    saveSearchState(runDir, state);
  };
  save();

  if (state.prepare === null) {
    emit({ kind: 'phase', phase: 'prepare', message: `preparing the ${o.evaluator} evaluator` });
    const pr = await deps.evaluator.prepare(hooks);
    if (!pr.ok) return interruptedOr(pr.issues, runDir, state, wall, deps);
    state.prepare = pr.value;
    save();
  }

  const sessionStart = state.trials.length;
  const sessionT0 = Date.now();
  while (state.trials.length < o.trials) {
    if (aborted(deps.signal)) return ok(await finishSummary(runDir, state, wall, true));
    const n = state.trials.length + 1;
    const trialT0 = Date.now();
    // The RNG and controller are only advanced in memory; a kill before `save()` redoes this trial identically.
    let indices = controller.propose(rng);
    let key = archKey(indicesToArch(space, indices));
    if (key === state.prev_key) {
      state.repeat_count += 1;
      noteRepeat(state.reward);
      if (o.reward === 'tecs21' && state.repeat_count >= 2) {
        indices = randomIndices(space, rng); // the original's second-repeat rule (§3.1)
        key = archKey(indicesToArch(space, indices));
      }
    } else {
      state.repeat_count = 0;
    }
    const arch = indicesToArch(space, indices);
    const gate = gateArchitecture(arch, s.search_space, s.platform, deps.cost, latReqS);
    const ex = gate.exploration;
    let accuracy: number | null = null, faulty: number | null = null, reward: number, trained = false, cached = false;
    if (!gate.pass || gate.reason !== null || gate.net === null) {
      reward = gatedReward(state.reward, gate.reason ?? 'invalid_arch', gate.miss, ex?.latency_s ?? undefined, latReqS);
    } else {
      const hit = state.cache[key];
      if (hit) {
        accuracy = hit.accuracy; faulty = hit.accuracy_faulty; cached = true;
      } else {
        const ev = await deps.evaluator.evaluate(gate.net, childSeed(o.seed, arch), hooks);
        if (!ev.ok) return interruptedOr(ev.issues, runDir, state, wall, deps);
        accuracy = ev.value.accuracy; faulty = ev.value.accuracy_faulty; trained = true;
      }
      reward = trainedReward(state.reward, blendAccuracy(accuracy, faulty, o.fault_alpha), ex?.latency_s ?? 0, latReqS);
    }
    const objective = accuracy !== null ? blendAccuracy(accuracy, faulty, o.fault_alpha) : gatedReward(createRewardState('corrected', 0), gate.reason ?? 'invalid_arch', gate.miss);
    controller.observe({ indices, reward, objective });
    const record: TrialRecord = {
      trial: n, arch, feasible: gate.pass, reason: gate.reason, reason_detail: gate.detail,
      latency_s: ex?.latency_s ?? null, energy_j: ex?.energy_j ?? null, power_cycles: ex?.power_cycles ?? null,
      designs: ex ? ex.layers.map((l) => l.design) : [], accuracy, accuracy_faulty: faulty, reward, trained, cached,
      eval_s: (Date.now() - trialT0) / 1000, timestamp_utc: new Date().toISOString(),
    };
    state.trials.push(record);
    if (trained && accuracy !== null) state.cache[key] = { accuracy, accuracy_faulty: faulty };
    state.prev_key = key;
    save();
    const doneThisSession = state.trials.length - sessionStart;
    const perTrial = (Date.now() - sessionT0) / 1000 / Math.max(1, doneThisSession);
    emit({ kind: 'trial', record, n, total: o.trials, best: bestTrial(state.trials), elapsed_s: wall(), eta_s: perTrial * (o.trials - n) });
  }

  const fin = await finalPhase(runDir, state, space, deps, hooks, save);
  if (!fin.ok) return interruptedOr(fin.issues, runDir, state, wall, deps);
  return ok(await finishSummary(runDir, state, wall, false));
}

async function interruptedOr(issues: readonly import('../settings/index.ts').InasIssue[], runDir: string, state: SearchState,
  wall: () => number, deps: SearchDeps): Promise<Result<SearchSummary>> {
  if (aborted(deps.signal)) return ok(await finishSummary(runDir, state, wall, true));
  return { ok: false, issues };
}

/** Top-k stand-alone re-training, Kendall τ of the evaluator vs stand-alone accuracy, and packaging of the best. */
async function finalPhase(runDir: string, state: SearchState, space: ActionSpace, deps: SearchDeps, hooks: EvalHooks, save: () => void): Promise<Result<void>> {
  const o = state.options, s = state.settings;
  state.final ??= { standalone: {}, proxy: {}, tau: null, tau_children: 0, best_key: null, best_standalone_accuracy: null, package: null, done: false };
  const fin = state.final;
  if (fin.done) return ok(undefined);
  const netOf = (arch: readonly number[]): Network => {
    const r = buildNetwork(arch, s.search_space);
    if (!r.ok) throw new Error(`a gated-through architecture no longer builds: ${archKey(arch)}`);
    return r.value;
  };
  const standalone = async (arch: readonly number[]): Promise<Result<number>> => {
    const key = archKey(arch);
    const have = fin.standalone[key];
    if (have !== undefined) return ok(have);
    if (aborted(deps.signal)) return fail(issue('interrupted', 'search', 'interrupted'));
    const r = await deps.evaluator.standalone(netOf(arch), childSeed(o.seed, arch), hooks);
    if (!r.ok) return r;
    fin.standalone[key] = r.value.accuracy;
    save();
    return ok(r.value.accuracy);
  };
  // Unique trained children, best first.
  const seen = new Set<string>();
  const ranked = [...state.trials].filter((t) => t.feasible && t.accuracy !== null)
    .sort((a, b) => (b.accuracy ?? 0) - (a.accuracy ?? 0) || (a.latency_s ?? 0) - (b.latency_s ?? 0) || a.trial - b.trial)
    .filter((t) => { const k = archKey(t.arch); if (seen.has(k)) return false; seen.add(k); return true; });
  let best: TrialRecord | null = ranked[0] ?? null;
  if (o.evaluator === 'supernet' && ranked.length > 0) {
    emit(deps, 'final', `re-training the top ${Math.min(o.top_k, ranked.length)} children stand-alone`);
    let bestAcc = -1;
    for (const t of ranked.slice(0, Math.max(1, o.top_k))) {
      const a = await standalone(t.arch);
      if (!a.ok) return a;
      if (a.value > bestAcc) { bestAcc = a.value; best = t; }
    }
    fin.best_standalone_accuracy = bestAcc;
    if (o.tau_samples >= 2) {
      // τ sample: trained children of the search (seeded shuffle), topped up with random feasible children.
      const rng = createRng(o.seed ^ 0x5eed);
      const pool = ranked.map((t) => t.arch);
      for (let i = pool.length - 1; i > 0; i--) { const j = rng.int(i + 1); [pool[i], pool[j]] = [pool[j] ?? [], pool[i] ?? []]; }
      const sample = pool.slice(0, o.tau_samples);
      let draws = 0;
      const keys = new Set(sample.map((a) => archKey(a)));
      while (sample.length < o.tau_samples && draws < o.tau_samples * 50) {
        draws++;
        const arch = indicesToArch(space, randomIndices(space, rng));
        if (keys.has(archKey(arch))) continue;
        if (!gateArchitecture(arch, s.search_space, s.platform, deps.cost, state.latency_requirement.latency_s).pass) continue;
        keys.add(archKey(arch));
        sample.push(arch);
      }
      emit(deps, 'final', `Kendall tau: supernet vs stand-alone accuracy on ${sample.length} children`);
      const xs: number[] = [], ys: number[] = [];
      for (const arch of sample) {
        const key = archKey(arch);
        let proxy = fin.proxy[key] ?? state.cache[key]?.accuracy;
        if (proxy === undefined) {
          const ev = await deps.evaluator.evaluate(netOf(arch), childSeed(o.seed, arch), hooks);
          if (!ev.ok) return ev;
          proxy = ev.value.accuracy;
        }
        fin.proxy[key] = proxy;
        const a = await standalone(arch);
        if (!a.ok) return a;
        xs.push(proxy); ys.push(a.value);
      }
      const tau = kendallTau(xs, ys);
      fin.tau = Number.isFinite(tau) ? tau : null;
      fin.tau_children = xs.length;
      save();
    }
  }
  fin.best_key = best ? archKey(best.arch) : null;
  if (best && deps.package && fin.package === null) {
    emit(deps, 'final', `packaging the best child ${archKey(best.arch)}`);
    const p = await deps.package(netOf(best.arch), best, runDir, hooks);
    if (!p.ok) {
      if (aborted(deps.signal)) return p;
      // A packaging failure leaves the search's results intact: it is reported, and `--resume` retries it.
      fin.package_error = p.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      save();
      emit(deps, 'final', `packaging failed: ${fin.package_error}`);
      return ok(undefined);
    }
    fin.package = p.value;
    fin.package_error = null;
  }
  fin.done = true;
  save();
  return ok(undefined);
}

function emit(deps: SearchDeps, phase: string, message: string): void {
  deps.onEvent?.({ kind: 'phase', phase, message });
}

/** Builds the summary, writes summary.md, and returns it. */
async function finishSummary(runDir: string, state: SearchState, wall: () => number, interrupted: boolean): Promise<SearchSummary> {
  const trials = state.trials;
  const fin = state.final;
  const bestKey = fin?.best_key ?? null;
  const best = bestKey !== null ? (trials.find((t) => archKey(t.arch) === bestKey && t.accuracy !== null) ?? bestTrial(trials)) : bestTrial(trials);
  const gatedBy: Record<string, number> = {};
  for (const t of trials) if (t.reason) gatedBy[t.reason] = (gatedBy[t.reason] ?? 0) + 1;
  const summary: SearchSummary = {
    run_dir: runDir,
    best: fin?.package?.best_json ?? null,
    trials: trials.length,
    trained: trials.filter((t) => t.trained).length,
    gated: trials.filter((t) => !t.feasible).length,
    wall_s: Math.round(wall() * 10) / 10,
    interrupted,
    best_trial: best,
    latency_requirement: state.latency_requirement,
    kendall_tau: fin?.tau ?? null,
    tau_children: fin?.tau_children ?? 0,
    best_standalone_accuracy: fin?.best_standalone_accuracy ?? null,
    accuracy_q15: fin?.package?.accuracy_q15 ?? null,
    weight_bits: fin?.package?.weight_bits ?? state.settings.training.weight_bits ?? 16,
    package_error: fin?.package_error ?? null,
    gated_by_reason: gatedBy,
    mode: state.options.mode,
    controller: state.options.controller,
    evaluator: state.options.evaluator,
    warnings: [],
  };
  state.wall_s = wall();
  writeFileAtomic(path.join(runDir, 'summary.md'), renderSummaryMd(state, summary));
  return summary;
}

const fmt = (x: number | null | undefined, d = 4): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toPrecision(d));

/** summary.md of a run. */
export function renderSummaryMd(state: SearchState, sm: SearchSummary): string {
  const o = state.options, lr = state.latency_requirement;
  const b = sm.best_trial;
  const lines = [
    `# inas search: ${state.settings.name || state.settings.dataset.name} (${o.mode})`,
    '',
    sm.interrupted ? `**Interrupted** after ${sm.trials} of ${o.trials} trials (resume with \`inas search --resume ${sm.run_dir}\`).` : `Completed ${sm.trials} trials.`,
    '',
    '| item | value |', '|---|---|',
    `| mode | ${o.mode} |`, `| controller | ${o.controller} |`, `| evaluator | ${o.evaluator} |`, `| reward | ${o.reward} |`, `| seed | ${o.seed} |`,
    `| latency requirement | ${fmt(lr.latency_s)} s${lr.percentile ? ` (${lr.percentile} of ${lr.samples} random feasible children)` : ''} |`,
    `| trials / trained / gated | ${sm.trials} / ${sm.trained} / ${sm.gated} |`,
    `| gated by reason | ${Object.entries(sm.gated_by_reason).map(([k, v]) => `${k}: ${v}`).join(', ') || '–'} |`,
    `| wall time | ${sm.wall_s} s |`,
    `| best child | ${b ? `trial ${b.trial}, arch [${b.arch.join(', ')}]` : '–'} |`,
    `| best: evaluator accuracy | ${fmt(b?.accuracy)} |`,
    `| best: predicted latency | ${fmt(b?.latency_s)} s |`,
    `| best: stand-alone accuracy | ${fmt(sm.best_standalone_accuracy)} |`,
    `| weight width | ${sm.weight_bits === 8 ? '8 bits (int8 weights, Q15 activations)' : '16 bits (Q15)'} |`,
    `| best: ${sm.weight_bits === 8 ? 'int8' : 'Q15'} accuracy (test) | ${fmt(sm.accuracy_q15)} |`,
    `| Kendall τ (supernet vs stand-alone) | ${sm.kendall_tau === null ? '–' : `${sm.kendall_tau.toFixed(3)} on ${sm.tau_children} children`} |`,
    `| best.json | ${sm.best ?? (sm.package_error ? `not written: ${sm.package_error}` : '–')} |`,
  ];
  if (state.prepare) lines.push('', '## Evaluator', '', ...Object.entries(state.prepare).map(([k, v]) => `- ${k}: ${v}`));
  if (b) lines.push('', '## Best child designs', '', ...b.designs.map((d, i) => `- layer ${i}: ${d ?? '–'}`));
  return lines.join('\n') + '\n';
}
