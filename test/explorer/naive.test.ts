// The fast explorer (typed arrays, affine bounds, early exits) must pick exactly what a naive exhaustive search
// picks when it costs every candidate with the object-level cost model (one Design and one cost object per
// candidate, the original's algorithm): same design, same latency bit for bit, same pass/fail counts, and the same
// nearest failing candidates. Random architectures and platforms (tight capacitors and VM to exercise C0/C1).
import { expect } from 'chai';
import {
  batchedIterations, costLayerCont, costLayerInt, layerDims, legalBatchSizes, legalTileSets, REUSE_ORDERS, tileCounts,
} from '../../src/costmodel/index.ts';
import { exploreLayer } from '../../src/explorer/index.ts';
import type { Layer } from '../../src/network/index.ts';
import type { Platform } from '../../src/platform/index.ts';
import { createRng, type PowerType } from '../../src/settings/index.ts';
import { net, platform } from './fixtures.ts';

interface Naive {
  design: string | null; latency: number | null; passes: number; c0: number; c1: number; candidates: number;
  leastVm: number; leastE: number;
}

function naive(layer: Layer, p: Platform, power: PowerType): Naive {
  const d = layerDims(layer);
  const sets = legalTileSets(d);
  const r: Naive = { design: null, latency: null, passes: 0, c0: 0, c1: 0, candidates: 0, leastVm: Infinity, leastE: Infinity };
  let bestVm = Infinity;
  for (const tr of sets.tr) for (const tc of sets.tc) for (const tm of sets.tm) for (const tn of sets.tn) for (const o of sets.orders) {
    const counts = tileCounts(d.kind, d.H, d.W, d.R, d.C, d.M, d.N, tr, tc, tm, tn);
    const ss = power === 'int' ? legalBatchSizes(batchedIterations(d.kind, o, ...counts)) : [1];
    for (const s of ss) {
      r.candidates++;
      const design = { tr, tc, tm, tn, order: REUSE_ORDERS[o]!, s };
      let vm: number, lat: number | null;
      if (power === 'int') {
        const c = costLayerInt(layer, design, p);
        if (!c.ok) throw new Error(c.issues[0]?.message);
        vm = c.value.vm_bytes;
        r.leastVm = Math.min(r.leastVm, vm);
        if (!c.value.c0_ok) { r.c0++; continue; }
        if (!c.value.c1_ok) { r.c1++; r.leastE = Math.min(r.leastE, c.value.energy_per_cycle_max_j); continue; }
        lat = c.value.latency_s;
        if (lat === null) throw new Error('feasible without latency');
        r.passes++;
        if (r.latency === null || lat < r.latency || (lat === r.latency && vm < bestVm)) { r.latency = lat; bestVm = vm; r.design = c.value.design; }
      } else {
        const c = costLayerCont(layer, design, p);
        if (!c.ok) throw new Error(c.issues[0]?.message);
        vm = c.value.vm_bytes;
        r.leastVm = Math.min(r.leastVm, vm);
        if (!c.value.c0_ok) { r.c0++; continue; }
        r.passes++;
        lat = c.value.latency_s;
        if (r.latency === null || lat < r.latency || (lat === r.latency && vm < bestVm)) { r.latency = lat; bestVm = vm; r.design = c.value.design; }
      }
    }
  }
  return r;
}

describe('explorer: fast search equals the naive exhaustive search', () => {
  const seed = 20261122;
  it(`random HAR/KWS/CIFAR architectures and platforms (seed ${seed})`, function () {
    const rng = createRng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
    let layersChecked = 0, infeasible = 0;
    for (let trial = 0; trial < 14; trial++) {
      const kind = pick(['har', 'har', 'kws', 'kws', 'cifar'] as const);
      const arch = kind === 'kws' ? [0, 1, 2, 3].map(() => pick([48, 64, 96, 128]))
        : kind === 'har' ? [0, 1, 2].flatMap(() => [pick([1, 3, 5, 7]), pick([4, 8, 16, 24])])
        : [7, pick([4, 8]), 7, pick([4, 8]), 5, pick([4, 8]), 5, 8, 3, 8];
      const n = net(kind, arch);
      const p = platform({
        capacitance_f: pick([0.0005, 0.001, 0.005, 0.01]), harvester_resistance_ohm: pick([22, 52, 300]),
        energy_margin: pick([0.3, 0.55, 0.69, 1]), vm_capacity_bytes: pick([256, 1024, 2048, 3696]), compat: pick(['tecs21', 'corrected'] as const),
      });
      const power = pick(['int', 'int', 'int', 'cont'] as const);
      for (const layer of n.layers) {
        const fast = exploreLayer(layer, p, power);
        const ref = naive(layer, p, power);
        const where = `trial ${trial} ${kind} [${arch}] ${power} ${layer.name}`;
        expect(fast.candidates, where).to.equal(ref.candidates);
        expect(fast.design, where).to.equal(ref.design);
        expect(fast.latency_s, where).to.equal(ref.latency);
        expect([fast.passes, fast.failed_c0, fast.failed_c1], where).to.deep.equal([ref.passes, ref.c0, ref.c1]);
        if (!fast.feasible) {
          infeasible++;
          expect(fast.explanation?.least_vm?.vm_bytes, where).to.equal(ref.leastVm);
          if (ref.leastE < Infinity) expect(Math.abs(fast.explanation!.least_energy!.energy_per_cycle_j! - ref.leastE) / ref.leastE, where).to.be.below(1e-12);
          else expect(fast.explanation?.least_energy, where).to.equal(null);
        }
        layersChecked++;
      }
    }
    expect(layersChecked).to.be.above(40);
    expect(infeasible).to.be.above(0);
  });

  it(`POOL layers (not produced by the search spaces; §1.3 sets, §1.7 costs) (seed ${seed})`, function () {
    const rng = createRng(seed + 1);
    const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
    let checked = 0, infeasible = 0;
    // §1.3 by hand for 8x8x16 -> 4x4x16: Tr, Tc ∈ {1,2,4}; Tm ∈ {1,2,4,8,16} with S sets of M/Tm = 16,8,4,2,1 → 5+4+3+2+1.
    const pool8: Layer = {
      index: 0, name: 'POOL_0', type: 'POOL', stride: 2, relu: false,
      kernel: { n: 16, ch: 1, h: 2, w: 2 }, ifm: { n: 1, ch: 16, h: 8, w: 8 }, ofm: { n: 1, ch: 16, h: 4, w: 4 },
    };
    expect(exploreLayer(pool8, platform(), 'int').candidates).to.equal(3 * 3 * 15);
    expect(exploreLayer(pool8, platform(), 'cont').candidates).to.equal(3 * 3 * 5);
    for (let trial = 0; trial < 12; trial++) {
      const k = pick([2, 2, 4]);
      const out = pick([2, 4, 6, 8]), ch = pick([4, 8, 16, 24]);
      const layer: Layer = {
        index: 0, name: 'POOL_0', type: 'POOL', stride: k, relu: false,
        kernel: { n: ch, ch: 1, h: k, w: k }, ifm: { n: 1, ch, h: out * k, w: out * k }, ofm: { n: 1, ch, h: out, w: out },
      };
      const p = platform({
        capacitance_f: pick([0.00005, 0.0001, 0.001, 0.005]), harvester_resistance_ohm: pick([22, 300]),
        energy_margin: pick([0.3, 0.55, 1]), vm_capacity_bytes: pick([64, 256, 2048]), compat: pick(['tecs21', 'corrected'] as const),
      });
      const power = pick(['int', 'int', 'cont'] as const);
      const fast = exploreLayer(layer, p, power);
      const ref = naive(layer, p, power);
      const where = `trial ${trial} POOL ${k}x${k} -> ${out}x${out}x${ch} ${power}`;
      expect(fast.candidates, where).to.equal(ref.candidates);
      expect(fast.design, where).to.equal(ref.design);
      expect(fast.latency_s, where).to.equal(ref.latency);
      expect([fast.passes, fast.failed_c0, fast.failed_c1], where).to.deep.equal([ref.passes, ref.c0, ref.c1]);
      if (fast.design !== null) expect(fast.design, where).to.match(/_1_reuse_O_S\d+$/);
      if (!fast.feasible) infeasible++;
      checked++;
    }
    expect(checked).to.equal(12);
    expect(infeasible).to.be.above(0);
    expect(infeasible).to.be.below(checked);
  });
});
