/**
 * Fault-tolerant search support: the faulty accuracy of a float child (FTT-NAS style reward term). The child's
 * weights are quantized exactly as they would be deployed (Q15, or int8 weights with `weightBits: 8`), then attacked with weight bit flips at a bit error
 * rate on the TS engine, using the same seeded patterns for every child (common random numbers).
 */
import type { Network } from '../network/index.ts';
import { quantizeInput, quantizeModel } from '../quant/index.ts';
import { runTsCampaign } from './campaign.ts';
import { parseFaultSpec } from './spec.ts';

export interface FaultyAccuracyOptions {
  /** Calibration inputs for the quantizer (HWC, flattened). */
  readonly calibration: Float32Array;
  /** Labelled inputs the faulty accuracy is measured on (validation data, never test). */
  readonly split: { readonly x: Float32Array; readonly y: Int32Array; readonly count: number };
  /** Fault patterns per child. */
  readonly runs: number;
}

/** Returns `(net, weights, { ber, seed }) → mean accuracy under weight bit flips at `ber``. */
export function createFaultyAccuracy(opts: FaultyAccuracyOptions): (net: Network, weights: readonly Float32Array[], o: { ber: number; seed: number; weightBits?: 16 | 8 }) => Promise<number> {
  return async (net, weights, o) => {
    // Bit flips hit the deployed word: 16-bit Q15 weights, or 8-bit int8 weights.
    const q = quantizeModel(net, weights, opts.calibration, { weightBits: o.weightBits ?? 16 });
    const n = net.input[0] * net.input[1] * net.input[2];
    const inputs = Array.from({ length: opts.split.count }, (_, i) => quantizeInput(opts.split.x.subarray(i * n, (i + 1) * n), q.input_frac));
    const spec = parseFaultSpec({ model: 'bitflip', target: 'weights', ber: o.ber });
    if (!spec.ok) throw new Error(`createFaultyAccuracy: bad BER ${o.ber}`);
    // The same pattern seeds for every child: the seed of the search, not of the child.
    const r = await runTsCampaign(q, inputs, opts.split.y, { spec: spec.value, seed: 0x5eed, runs: opts.runs, workers: 0 });
    if (!r.ok) throw new Error(`createFaultyAccuracy: ${r.issues.map((i) => i.message).join('; ')}`);
    return r.value.accuracy.mean;
  };
}
