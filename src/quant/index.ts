/** Public face of the quant module: Q15 quantization, the integer-exact reference, and the solution contract. */
export type { Solution, SolutionLayer, QuantLayer, PoolKind } from './solution.ts';
/** Pooling kinds of a POOL layer (max, avg). */
export { POOL_KINDS } from './solution.ts';
/** The quantized model: IR + per-layer fixed-point parameters + integer weights. */
export type { QModel, QModelLayer } from './qmodel.ts';

/** Q15 helpers, one to one with firmware/q15.h (firmware/Q15.md). */
export { Q15_MIN, Q15_MAX, sat16, roundShift, requant, divRound, roundHalfAway, quantizeValue, quantizeInput, dequantize } from './q15.ts';

/** Options and result of the integer-exact reference inference. */
export type { ReferenceOptions, ReferenceResult } from './reference.ts';
/** Integer-exact reference inference over a QModel (optionally tracing every layer's output). */
export { referenceInference } from './reference.ts';
/** One layer of the reference (for fault injection that resumes mid-network) and the argmax rule. */
export { runLayer, argmax } from './reference.ts';

/** Float weights and the float forward pass (calibration, float oracle). */
export type { FloatWeights, FloatForwardOptions } from './float_forward.ts';
/** Float forward pass over the IR and calibration ranges. */
export { floatForward, activationRanges } from './float_forward.ts';

/** Options of the quantizer and a labelled split. */
export type { QuantizeOptions, LabelledSplit } from './quantize.ts';
/** Post-training quantization, Q15 accuracy, the weights image. */
export { quantizeModel, evaluateQModel, dequantizeLogits, encodeWeights, weightsImageBytes, weightBlockBytes, fracFor, weightFracFor, quantSection } from './quantize.ts';
/** Limits of the spec used by the quantizer. */
export { SHIFT_MIN, SHIFT_MAX, MAX_ABS_WEIGHT_SUM } from './quantize.ts';

/** The solution file schema and its parser (the only cast of solution JSON). */
export { SOLUTION_SCHEMA, parseSolution } from './schema.ts';
/** Solution folders: loaded solution, samples, and a draft (writeSolution fills weights/samples). */
export type { LoadedSolution, Samples, SolutionDraft } from './solution_io.ts';
/** Atomic write and checked read of solution folders (solution.json + weights.bin + samples.bin). */
export { writeSolution, readSolution, solutionNetwork, decodeQModel, encodeSamples, SOLUTION_FILE, WEIGHTS_FILE, SAMPLES_FILE } from './solution_io.ts';
