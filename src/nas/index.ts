/** Public face of the nas module: controllers, rewards, gating, evaluators and the resumable search loop. */
/** Action spaces (choice indices per position). */
export type { ActionSpace } from './space.ts';
export { createActionSpace, indicesToArch, archToIndices, randomIndices, archKey } from './space.ts';
/** Controllers: REINFORCE (LSTM policy), regularized evolution, random. */
export type { Controller, ControllerState, ControllerOptions, Observation } from './controller.ts';
export { createController } from './controller.ts';
export type { ReinforceController, ReinforceOptions, ReinforceState } from './reinforce.ts';
export { createReinforce, DEFAULT_REINFORCE_OPTIONS } from './reinforce.ts';
export type { EvolutionController, EvolutionOptions, EvolutionState } from './evolution.ts';
export { createEvolution, mutate, DEFAULT_EVOLUTION_OPTIONS } from './evolution.ts';
/** Rewards: the original's (tecs21) and the corrected default. */
export type { RewardState, GateReason } from './reward.ts';
export { GATE_REASONS, createRewardState, gatedReward, trainedReward, noteRepeat, blendAccuracy } from './reward.ts';
/** Gating before training. */
export type { CostFn, ExplorationLike, GateResult } from './gate.ts';
export { gateArchitecture } from './gate.ts';
/** Latency requirement in seconds or as a percentile of random feasible children. */
export type { LatencyRequirement } from './latreq.ts';
export { resolveLatencyRequirement, parsePercentile, percentile } from './latreq.ts';
/** Kendall rank correlation. */
export { kendallTau } from './kendall.ts';
/** Trial records and logs. */
export type { TrialRecord } from './trial_log.ts';
export { renderCsv, renderJsonl } from './trial_log.ts';
/** Evaluator seam. */
export type { Evaluator, ChildEvaluation, EvalHooks, EvalProgress, FaultyAccuracyFn } from './evaluator.ts';
/** The search loop and its state. */
export type { SearchOptions, SearchState, SearchSummary, SearchEvent, SearchDeps, PackageFn, PackageInfo, FinalState } from './search.ts';
export { createSearchState, readSearchState, saveSearchState, runSearch, bestTrial, childSeed, renderSummaryMd } from './search.ts';
/** Atomic file writes. */
export { writeFileAtomic } from './fsutil.ts';
/** Train one architecture stand-alone, quantize, evaluate on test, write a solution (`inas train`; owner: quant). */
export type { TrainPackageOptions, TrainPackageResult } from './package_solution.ts';
export { trainAndPackage, createPackageFn, solutionDraft } from './package_solution.ts';
/** Evaluators (train, supernet) and the supernet itself. */
export type { EvaluatorConfig } from './evaluators.ts';
export { createTrainEvaluator, createSupernetEvaluator } from './evaluators.ts';
export type { Supernet, SupernetSpec, SupernetTrainOptions, SplitLike } from './supernet.ts';
export { createSupernet, supernetSpec, solveRidge } from './supernet.ts';
/** The explorer as the search's cost function. */
export { explorerCost, platformFor } from './cost.ts';
/** Records of the iNAS vs HW-NAS comparison. */
export type { CompareResult, CompareRow, ComparePoint, IntCost } from './compare_types.ts';
/** A whole search from settings or a run directory. */
export type { SearchRunRequest, SearchOverrides } from './run.ts';
export { searchRun, searchOptionsOf, extendTrials } from './run.ts';
/** Packaging of the best child (quant's trainAndPackage) and best.json. */
export { packagerFor, writeBestJson } from './packager.ts';
/** iNAS vs HW-NAS comparison. */
export type { CompareRequest } from './compare.ts';
export { compareSearches } from './compare.ts';
