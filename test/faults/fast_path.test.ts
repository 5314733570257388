// The TS engine's fast path (cached golden activations and accumulators, delta updates, early exit) against the
// full reference inference (src/quant runLayer from the first faulty layer), on random fault sets.
import { expect } from 'chai';
import { buildEvalSet, cleanWeightCrcs, runOnce } from '../../src/faults/engine_ts.ts';
import { faultSpace } from '../../src/faults/sample.ts';
import { parseFaultSpec, type FaultSpecInput } from '../../src/faults/spec.ts';
import type { QModel } from '../../src/quant/index.ts';
import { smallModel } from './fixtures.ts';
import { DESIGNS, POOL_DESIGNS, makeFixture, poolNetwork, smallNetwork } from '../firmware/fixtures.ts';

const SPECS: FaultSpecInput[] = [
  { ber: '1e-3' }, { ber: '2e-2' }, { count: '1' }, { count: '5', bits: 'msb' }, { model: 'stuck0', count: '4' }, { model: 'stuck1', count: '3', bits: '10-15' },
  { model: 'random', count: '2' }, { model: 'burst', count: '2', burst: '3' },
  { target: 'activations', count: '3' }, { target: 'activations', count: '2', persistence: 'permanent' }, { target: 'activations', ber: '1e-2', bits: '0-3' },
  { target: 'scales', count: '1', bits: '0-2' }, { target: 'scales', model: 'random', count: '2' },
];

function models(): { name: string; q: QModel; inputs: Int16Array[]; labels: Int32Array }[] {
  const fc = smallModel(11, { samples: 12 });
  const out = [{ name: 'fc', ...fc }];
  for (const [name, net, designs, pool] of [
    ['conv2d', smallNetwork('conv2d'), DESIGNS.conv2d_a, undefined], ['conv1d', smallNetwork('conv1d'), DESIGNS.conv1d, undefined],
    ['maxpool', poolNetwork(), POOL_DESIGNS, 'max'], ['avgpool', poolNetwork(), POOL_DESIGNS, 'avg'],
  ] as const) {
    const f = makeFixture(net, designs, { seed: 5, count: 6, ...(pool ? { pool } : {}) });
    out.push({ name, q: f.qmodel, inputs: f.inputs, labels: new Int32Array(f.inputs.length) });
  }
  return out;
}

describe('faults/engine_ts fast path', () => {
  it('gives exactly the outcomes of the full reference inference on random fault sets (FC, CONV 1-D/2-D, pooling)', () => {
    let runs = 0, sdc = 0;
    for (const m of models()) {
      const set = buildEvalSet(m.q, m.inputs, m.labels);
      const crcs = cleanWeightCrcs(m.q);
      for (const input of SPECS) {
        const s = parseFaultSpec(input);
        if (!s.ok) throw new Error(JSON.stringify(s.issues));
        const space = faultSpace(m.q, s.value);
        if (space.length === 0) continue;
        for (let r = 0; r < 25; r++) {
          const fast = runOnce(m.q, space, s.value, set, 17, r, 'none', crcs, true);
          const full = runOnce(m.q, space, s.value, set, 17, r, 'none', crcs, false);
          expect(fast, `${m.name} ${JSON.stringify(input)} run ${r}`).to.deep.equal(full);
          runs++;
          sdc += full.sdc;
        }
      }
    }
    expect(runs).to.be.greaterThan(1000);
    expect(sdc).to.be.greaterThan(100); // the fault sets do change outputs: the comparison is not vacuous
  });
});
