/**
 * `searchRun`: a whole search from settings (or a run directory to resume): platform + explorer as the cost
 * function (cached per architecture), dataset, backend, evaluator, packager, then the search loop.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, type ControllerName, type EvaluatorName, type InasIssue, type InasSettings, type PowerType, type Result, type RewardName } from '../settings/index.ts';
import { explorerCost, platformFor } from './cost.ts';
import { loadDataset } from '../data/index.ts';
import { initBackend } from '../train/index.ts';
import type { Evaluator, FaultyAccuracyFn } from './evaluator.ts';
import { createSupernetEvaluator, createTrainEvaluator } from './evaluators.ts';
import { gateArchitecture, type CostFn } from './gate.ts';
import { createSearchState, readSearchState, runSearch, type PackageFn, type SearchEvent, type SearchOptions, type SearchState, type SearchSummary } from './search.ts';
import { archKey } from './space.ts';

/** Overrides of the search options (CLI flags). */
export interface SearchOverrides {
  readonly trials?: number;
  readonly controller?: ControllerName;
  readonly evaluator?: EvaluatorName;
  readonly mode?: PowerType;
  readonly reward?: RewardName;
  readonly latency_requirement?: number | string;
  readonly latreq_samples?: number;
  readonly top_k?: number;
  readonly tau_samples?: number;
  readonly child_epochs?: number;
  readonly standalone_epochs?: number;
  readonly supernet_epochs?: number;
}

export interface SearchRunRequest {
  /** Resolved settings for a new run (ignored on resume). */
  readonly settings?: InasSettings;
  /** A run directory to resume. */
  readonly resumeDir?: string;
  /** Parent folder of new runs (default settings.output.dir). */
  readonly outDir?: string;
  /** Run folder name (default derived from the settings, mode, controller, evaluator, seed and time). */
  readonly runName?: string;
  readonly overrides?: SearchOverrides;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: SearchEvent) => void;
  /** Packages the best child (quant's trainAndPackage); none = no best.json. */
  readonly packager?: PackageFn;
  /** Fault-tolerant reward seam (faults module). */
  readonly faultyAccuracy?: FaultyAccuracyFn;
}

/** The search options of settings + overrides. */
export function searchOptionsOf(s: InasSettings, o: SearchOverrides = {}): SearchOptions {
  return {
    trials: o.trials ?? s.search.trials,
    controller: o.controller ?? s.search.controller,
    evaluator: o.evaluator ?? s.search.evaluator,
    mode: o.mode ?? s.platform.power,
    reward: o.reward ?? s.search.reward,
    seed: s.search.seed,
    latency_requirement: o.latency_requirement ?? s.platform.latency_requirement_s,
    latreq_samples: o.latreq_samples ?? 300,
    top_k: o.top_k ?? 3,
    tau_samples: o.tau_samples ?? 20,
    fault_alpha: s.search.fault_alpha,
    accuracy_beta: s.search.accuracy_beta,
    child_epochs: o.child_epochs ?? s.training.epochs,
    standalone_epochs: o.standalone_epochs ?? s.training.epochs,
    supernet_epochs: o.supernet_epochs ?? s.search.supernet.epochs,
    reinforce: { cells: s.search.controller_cells, embeddingDim: s.search.embedding_dim, exploration: s.search.exploration },
    evolution: {},
  };
}

function defaultRunName(s: InasSettings, o: SearchOptions): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${s.name || s.dataset.name}_${o.mode}_${o.controller}_${o.evaluator}_s${o.seed}_${stamp}`;
}

/**
 * A resumed run with `trials` trials in total: more than planned extends it (a finished final phase is redone on
 * the longer trial list, keeping the stand-alone accuracies already measured); fewer than already done is an error.
 */
export function extendTrials(state: SearchState, trials: number, runDir: string): Result<SearchState> {
  const done = state.trials.length;
  if (!Number.isInteger(trials) || trials < 1) return fail(issue('invalid_argument', '--trials', `expected a positive integer (got ${trials})`));
  if (trials < done) {
    return fail(issue('invalid_argument', '--trials', `the run in ${runDir} has already done ${done} trials; --trials ${trials} cannot shrink it (give ${done} or more, or omit --trials)`,
      { actual: trials, expected: `>= ${done}` }));
  }
  if (trials === state.options.trials) return ok(state);
  const fin = state.final;
  const final = fin && trials > done
    ? { ...fin, tau: null, tau_children: 0, best_key: null, best_standalone_accuracy: null, package: null, package_error: null, done: false }
    : fin;
  return ok({ ...state, options: { ...state.options, trials }, final });
}

/** Runs a new search or resumes one. */
export async function searchRun(req: SearchRunRequest): Promise<Result<SearchSummary>> {
  let state: SearchState;
  let runDir: string;
  let cost: CostFn;
  if (req.resumeDir) {
    const st = readSearchState(req.resumeDir);
    if (!st.ok) return st;
    state = st.value;
    runDir = req.resumeDir;
    const more = req.overrides?.trials;
    if (more !== undefined) {
      const ext = extendTrials(state, more, runDir);
      if (!ext.ok) return ext;
      state = ext.value;
    }
    const pf = platformFor(state.settings, state.options.mode);
    if (!pf.ok) return pf;
    cost = explorerCost(pf.value, state.options.mode);
  } else {
    if (!req.settings) return fail(issue('invalid_argument', 'settings', 'a settings file is needed to start a search (or --resume <run dir>)'));
    const s = req.settings;
    const o = searchOptionsOf(s, req.overrides);
    runDir = path.join(req.outDir ?? s.output.dir, req.runName ?? defaultRunName(s, o));
    if (existsSync(path.join(runDir, 'state.json'))) {
      return fail(issue('invalid_argument', runDir, `a search already lives in ${runDir}; continue it with --resume ${runDir} or choose another --name`));
    }
    const pf = platformFor(s, o.mode);
    if (!pf.ok) return pf;
    cost = explorerCost(pf.value, o.mode);
    req.onEvent?.({ kind: 'phase', phase: 'latreq', message: typeof o.latency_requirement === 'string'
      ? `latency requirement ${o.latency_requirement}: sampling ${o.latreq_samples} random feasible children` : `latency requirement ${o.latency_requirement} s` });
    const st = createSearchState(s, o, cost);
    if (!st.ok) return st;
    state = st.value;
    mkdirSync(runDir, { recursive: true });
  }
  const s = state.settings, o = state.options;
  const backend = await initBackend(s.training.backend);
  if (!backend.ok) return backend;
  req.onEvent?.({ kind: 'phase', phase: 'data', message: `loading ${s.dataset.name}` });
  const warnings: InasIssue[] = [];
  const data = await loadDataset(s.dataset, { seed: o.seed, onWarning: (w) => {
    warnings.push(w);
    req.onEvent?.({ kind: 'warning', issue: w });
  } });
  if (!data.ok) return data;
  const gateCache = new Map<string, boolean>();
  const validPath = (arch: readonly number[]): boolean => {
    const k = archKey(arch);
    let v = gateCache.get(k);
    if (v === undefined) {
      v = gateArchitecture(arch, s.search_space, s.platform, cost, state.latency_requirement.latency_s).pass;
      gateCache.set(k, v);
    }
    return v;
  };
  const cfg = {
    settings: s, data: data.value, childEpochs: o.child_epochs, standaloneEpochs: o.standalone_epochs, supernetEpochs: o.supernet_epochs,
    runDir, validPath, faultAlpha: o.fault_alpha, faultBer: s.search.fault_ber,
    ...(req.faultyAccuracy ? { faultyAccuracy: req.faultyAccuracy } : {}),
  };
  const evaluator: Evaluator = o.evaluator === 'supernet' ? createSupernetEvaluator(cfg) : createTrainEvaluator(cfg);
  try {
    const r = await runSearch(runDir, state, {
      cost, evaluator,
      ...(req.packager ? { package: req.packager } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.onEvent ? { onEvent: req.onEvent } : {}),
    });
    return r.ok ? ok({ ...r.value, warnings: [...r.value.warnings, ...warnings] }) : r;
  } finally {
    evaluator.dispose();
  }
}

