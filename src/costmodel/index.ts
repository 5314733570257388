/**
 * Public face of the cost model (iNAS-PMod): per-power-cycle energy/latency under intermittent power, whole-layer
 * cost under continuous power, power-cycle counts, recharge-aware end-to-end latency, design strings. Pure functions.
 */
/** Design strings `Tr_Tc_Tm_Tn_reuse_X_S<S>`. */
export type { Design, ReuseOrder } from './design.ts';
export { REUSE_ORDERS, ORDER_I, ORDER_W, ORDER_O, parseDesign, formatDesign, formatDesignParts, orderCode } from './design.ts';
/** Layer dimensions and the §1.1 validity checks. */
export type { LayerDims } from './dims.ts';
export { KIND_CONV, KIND_POOL, KIND_GAVGPOOL, layerDims, ifmTile, ifmTileCompat, checkLayer } from './dims.ts';
/** Legal candidate sets of §1.3. */
export type { TileSets } from './legal.ts';
export { divisors, evenDivisorsAndOne, countEvenDivisorsAndOne, legalTileSets, legalBatchSizes } from './legal.ts';
/** Allocation-free scalar kernels (used by the explorer's hot loop). */
export { PC, PC_SLOTS, CT, CONT_SLOTS, AF, AF_SLOTS, AT_SLOTS, affineCycleCoefficients, affineTileTerms, affineFromTerms, vmBytesOf, intCycleEnergy, intCycleLatency, contLayerCost, tileCounts, batchedIterations, powerCycleCounts } from './kernel.ts';
/** Object-level layer cost (INT and CONT) with breakdowns and NVM traffic. */
export type { IntCostOptions, IntLayerCost, ContLayerCost, CycleBreakdown, NvmAccess } from './layer_cost.ts';
export { costLayerInt, costLayerCont, checkDesign } from './layer_cost.ts';
