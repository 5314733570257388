/** The in-memory quantized model (apis.md): the layer IR plus per-layer fixed-point parameters and integer weights. */
import type { Network } from '../network/index.ts';
import type { QuantLayer } from './solution.ts';

/** One quantized layer: the solution's QuantLayer plus its weights (null for pooling layers). */
export type QModelLayer = QuantLayer & { weights: Int16Array | Int8Array | null };

/** A quantized model: what the reference inference, the dumper and the faults campaign run. */
export interface QModel {
  readonly net: Network;
  /** Fractional bits of the network input (quantize_input). */
  readonly input_frac: number;
  readonly layers: QModelLayer[];
}
