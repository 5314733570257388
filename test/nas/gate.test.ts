import { expect } from 'chai';
import { explorerCost, gateArchitecture, platformFor, resolveLatencyRequirement } from '../../src/nas/index.ts';
import { loadSettings, type InasSettings } from '../../src/settings/index.ts';

function mnist(patch: (s: InasSettings) => InasSettings = (s) => s): InasSettings {
  const r = loadSettings('settings/mnist.json');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return patch(r.value.settings);
}
const costOf = (s: InasSettings, mode: 'int' | 'cont' = 'int') => {
  const p = platformFor(s, mode);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return explorerCost(p.value, mode);
};

describe('nas/gate (real explorer)', () => {
  const s = mnist();
  const cost = costOf(s);

  it('passes a feasible child with its per-layer designs and latency', () => {
    const g = gateArchitecture([3, 8, 3, 8, 3, 8], s.search_space, s.platform, cost, 1e6);
    expect(g.pass).to.equal(true);
    expect(g.reason).to.equal(null);
    expect(g.exploration?.layers.map((l) => l.name)).to.deep.equal(['CONV_0', 'CONV_1', 'CONV_2', 'GAVGPOOL_0', 'FC_END']);
    expect(g.exploration?.layers.every((l) => /^\d+_\d+_\d+_\d+_reuse_[IWO]_S\d+$/.test(l.design ?? ''))).to.equal(true);
    expect(g.exploration?.latency_s).to.be.greaterThan(0);
  });

  it('gates an invalid architecture before costing it', () => {
    const g = gateArchitecture([3, 8, 3, 8, 9, 8], s.search_space, s.platform, () => { throw new Error('must not be costed'); }, 1e6);
    expect(g.reason).to.equal('invalid_arch');
    expect(g.detail).to.match(/kernel size 9 is not in the search space/);
  });

  it('gates NVM overflow with how far it is missed', () => {
    const small = mnist((x) => ({ ...x, platform: { ...x.platform, nvm_capacity_bytes: 4000 } }));
    const g = gateArchitecture([1, 24, 1, 24, 1, 24], small.search_space, small.platform, costOf(small), 1e6);
    expect(g.reason).to.equal('nvm_overflow');
    // 2 feature buffers of 28·28·24 + weights (24 + 576 + 576 + 240) elements, 2 bytes each
    const need = (2 * 28 * 28 * 24 + 24 + 576 + 576 + 240) * 2;
    expect(g.miss).to.be.closeTo((need - 4000) / 4000, 1e-12);
  });

  it('gates a child without a feasible design (tiny VM: C0) and names the layers', () => {
    const tiny = mnist((x) => ({ ...x, platform: { ...x.platform, vm_capacity_bytes: 16 } }));
    const g = gateArchitecture([7, 24, 7, 24, 7, 24], tiny.search_space, tiny.platform, costOf(tiny), 1e6);
    expect(g.reason).to.equal('no_feasible_design');
    expect(g.detail).to.match(/CONV_0/);
    expect(g.miss).to.be.greaterThan(0).and.at.most(1);
  });

  it('gates latency over the requirement', () => {
    const lat = gateArchitecture([7, 24, 7, 24, 7, 24], s.search_space, s.platform, cost, 1e6).exploration?.latency_s ?? 0;
    const g = gateArchitecture([7, 24, 7, 24, 7, 24], s.search_space, s.platform, cost, lat / 2);
    expect(g.reason).to.equal('latency_requirement');
    expect(g.miss).to.be.closeTo(1, 1e-9);
  });

  it('derives a percentile latency requirement from random feasible children (seeded)', () => {
    const p = (v: string) => {
      const r = resolveLatencyRequirement(v, s.search_space, s.platform, cost, { seed: 1234, samples: 60 });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return r.value;
    };
    const p25 = p('p25'), p50 = p('p50'), p75 = p('p75'), p0 = p('p0'), p100 = p('p100');
    expect(p50.samples).to.equal(60);
    expect(p0.latency_s).to.be.lessThan(p25.latency_s);
    expect(p25.latency_s).to.be.lessThan(p50.latency_s);
    expect(p50.latency_s).to.be.lessThan(p75.latency_s);
    expect(p75.latency_s).to.be.lessThan(p100.latency_s);
    expect(p('p50').latency_s).to.equal(p50.latency_s);
    // continuous power is much faster than intermittent power for the same random children
    const c = resolveLatencyRequirement('p50', s.search_space, s.platform, costOf(s, 'cont'), { seed: 1234, samples: 60 });
    expect(c.ok && c.value.latency_s).to.be.lessThan(p50.latency_s / 3);
    const bad = resolveLatencyRequirement('median', s.search_space, s.platform, cost, { seed: 1, samples: 5 });
    expect(bad.ok).to.equal(false);
    expect(!bad.ok && bad.issues[0]?.message).to.match(/percentile like "p50"/);
  });
});
