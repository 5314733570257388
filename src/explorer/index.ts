/**
 * Public face of the explorer (iNAS-Exp): exhaustive per-layer search of execution + preservation designs with the
 * original candidate sets, constraints (C0 VM, C1 energy per power cycle), objective and tie-break; network checks
 * (NVM, latency requirement); explanations for infeasible layers.
 */
/** Result records. */
export type { NetworkExploration, LayerExploration, InfeasibilityExplanation, NearCandidate, ExploreOptions } from './types.ts';
/** Explores a whole network (best design per layer + network checks). */
export { exploreNetwork, costFixedDesigns } from './explore_network.ts';
export type { FixedDesignOptions } from './explore_network.ts';
/** Explores one layer (scratch buffers may be shared across calls). */
export { exploreLayer, createScratch } from './explore_layer.ts';
export type { Scratch } from './explore_layer.ts';
