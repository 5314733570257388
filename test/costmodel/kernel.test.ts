// The affine-in-S form of the per-cycle cost (used by the explorer for bounds and classification) must agree with
// the exact kernels on every candidate of real layers.
import { expect } from 'chai';
import {
  affineCycleCoefficients, AF_SLOTS, ifmTile, intCycleEnergy, intCycleLatency, layerDims, legalBatchSizes, legalTileSets,
  batchedIterations, tileCounts, PC_SLOTS,
} from '../../src/costmodel/index.ts';
import { net, platform } from '../explorer/fixtures.ts';

describe('costmodel: affine coefficients agree with the exact kernels', () => {
  const layers = [...net('cifar', [5, 4, 3, 16, 7, 16, 7, 24, 7, 24]).layers, ...net('har', [5, 8, 3, 24, 5, 16]).layers, ...net('kws', [96, 128, 48, 48]).layers];
  for (const compat of ['tecs21', 'corrected'] as const) {
    it(`every candidate of 17 layers (${compat})`, () => {
      const t = platform({ compat }).costs;
      const pc = new Float64Array(PC_SLOTS), af = new Float64Array(AF_SLOTS);
      let checked = 0, worst = 0;
      for (const layer of layers) {
        const d = layerDims(layer);
        const sets = legalTileSets(d);
        for (const tr of sets.tr) for (const tc of sets.tc) for (const tm of sets.tm) for (const tn of sets.tn) for (const order of sets.orders) {
          const tri = ifmTile(d.kind, tr, d.Kh, d.stride), tci = ifmTile(d.kind, tc, d.Kw, d.stride);
          affineCycleCoefficients(t, d.kind, d.Kh, d.Kw, tri, tci, tr, tc, tm, tn, order, af);
          const counts = tileCounts(d.kind, d.H, d.W, d.R, d.C, d.M, d.N, tr, tc, tm, tn);
          for (const s of legalBatchSizes(batchedIterations(d.kind, order, ...counts))) {
            intCycleEnergy(t, d.kind, d.Kh, d.Kw, tri, tci, tr, tc, tm, tn, order, s, pc);
            intCycleLatency(t, d.kind, d.Kh, d.Kw, tri, tci, tr, tc, tm, tn, order, s, pc);
            const pairs: [number, number][] = [[pc[14]!, af[0]! + af[1]! * s], [pc[15]!, af[2]! + af[3]! * s], [pc[16]!, af[4]! + af[5]! * s], [pc[17]!, af[6]! + af[7]! * s]];
            for (const [exact, approx] of pairs) worst = Math.max(worst, Math.abs(exact - approx) / exact);
            checked++;
          }
        }
      }
      expect(checked).to.equal(28529 + 2349 + 2932);
      expect(worst).to.be.below(1e-12);
    });
  }
});
