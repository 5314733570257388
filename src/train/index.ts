/** Public face of the train module: backends, the model builder, training/evaluation, weights I/O. */
/** Backend selection (auto → tensorflow → wasm; cpu only when asked), asserted with tf.getBackend(). */
export { initBackend, activeBackend, nativeAvailable, nativeDir } from './backend.ts';
export type { BackendInfo } from './backend.ts';
/** Registers the project's wasm gradient kernels (done by initBackend('wasm'); exported for tests/benchmarks). */
export { registerWasmGradientKernels } from './wasm_kernels.ts';
/** Builds a tfjs model from the layer IR (§3.2), seeded glorot-uniform kernels. */
export { buildModel, SOFTMAX_LAYER } from './model.ts';
/** Parameters and MACs per layer and in total. */
export { summarizeNetwork } from './model.ts';
export type { ModelSummary } from './model.ts';
/** Kernels of the CONV/FC layers in canonical tfjs order (firmware/Q15.md), and back. */
export { extractWeights, setWeights } from './model.ts';
/** Adam training with seeded shuffling, early stopping on validation accuracy, best weights restored. */
export { trainModel, faultTrainingOptions } from './train.ts';
export type { TrainSplit, TrainOptions, TrainResult, EpochStats, BatchProgress } from './train.ts';
/** Accuracy on a split, logits, and per-layer float activations (calibration data for the quantizer). */
export { evaluateModel, predictLogits, layerActivations, logitsModel } from './train.ts';
/** Q15 bit flips of a weight array (random bit error training; also usable by fault campaigns). */
export { flipWeightBits } from './train.ts';
