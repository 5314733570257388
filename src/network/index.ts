/** Public face of the network module: the layer IR built from action vectors, shapes and counts. */
export type { LayerType, Dims, Layer, Network } from './ir.ts';
/** Layer kinds. */
export { LAYER_TYPES } from './ir.ts';
/** Builds the layer IR from an action vector (§3.2) with typed validity checks. */
export { buildNetwork } from './ir.ts';
/** Action-vector helpers: choices per position, space size, parsing and printing. */
export { archChoices, searchSpaceSize, parseArch, archToString } from './ir.ts';
/** Pure shape and size helpers shared by costmodel, dumper and quant. */
export { fmElements, layerWeightCount, layerMacs, networkStats, nvmBytes, checkNvm } from './ir.ts';
