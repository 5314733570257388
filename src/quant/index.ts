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
export { quantizeModel, evaluateQModel, dequantizeLogits, encodeWeights, weightsImageBytes, weightBlockBytes, fracFor } from './quantize.ts';
/** Limits of the spec used by the quantizer. */
export { SHIFT_MIN, SHIFT_MAX, MAX_ABS_WEIGHT_SUM } from './quantize.ts';
