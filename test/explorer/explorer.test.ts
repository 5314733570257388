// Explorer: candidate counts of reference §2.4, §1.14 optima, fixed-design costing (§2.3, §7.2), infeasibility
// explanations, and network checks (§1.13).
import { expect } from 'chai';
import { costFixedDesigns, exploreLayer, exploreNetwork } from '../../src/explorer/index.ts';
import { APPENDIX_A } from './appendix_a.ts';
import { net, platform } from './fixtures.ts';

const CIFAR_TS3 = [5, 4, 3, 16, 7, 16, 7, 24, 7, 24];

describe('explorer: candidate counts (§2.4)', () => {
  const p = platform({ capacitance_f: 0.01, harvester_resistance_ohm: 22 });
  it('cifar [5,4,3,16,7,16,7,24,7,24]: 864/1920/9900/5920/9312/448/165 = 28 529', () => {
    const r = exploreNetwork(net('cifar', CIFAR_TS3), p);
    expect(r.layers.map((l) => l.candidates)).to.deep.equal([864, 1920, 9900, 5920, 9312, 448, 165]);
    expect(r.candidates).to.equal(28529);
  });
  it('cifar all-1×1 24-filter child: 104 565 (CONV_1..4 24 984 each)', () => {
    const r = exploreNetwork(net('cifar', [1, 24, 1, 24, 1, 24, 1, 24, 1, 24]), p);
    expect(r.candidates).to.equal(104565);
    expect(r.layers.slice(1, 5).map((l) => l.candidates)).to.deep.equal([24984, 24984, 24984, 24984]);
  });
  it('HAR [5,8,3,24,5,16]: 2 349; KWS [96,128,48,48]: 2 932 (FC_0 has 81)', () => {
    expect(exploreNetwork(net('har', [5, 8, 3, 24, 5, 16]), p).candidates).to.equal(2349);
    const k = exploreNetwork(net('kws', [96, 128, 48, 48]), p);
    expect(k.candidates).to.equal(2932);
    expect(k.layers[0]!.candidates).to.equal(81);
  });
  it('CONV_1 of the §1.14 network: 1920 candidates, 1236 pass, optimum 2_26_1_4_reuse_I_S8', () => {
    const n = net('cifar', CIFAR_TS3);
    const l = exploreLayer(n.layers[1]!, p, 'int');
    expect(l.candidates).to.equal(1920);
    expect(l.passes).to.equal(1236);
    expect(l.passes + l.failed_c0 + l.failed_c1).to.equal(1920);
    expect(l.design).to.equal('2_26_1_4_reuse_I_S8');
    expect(Math.abs(l.latency_s! - 25.904721)).to.be.below(1e-6);
  });
  it('CONV_1 under CONT: optimum 1_13_16_4_reuse_W_S1 at 8.283488 s', () => {
    const l = exploreLayer(net('cifar', CIFAR_TS3).layers[1]!, p, 'cont');
    expect(l.design).to.equal('1_13_16_4_reuse_W_S1');
    expect(Math.abs(l.latency_s! - 8.283488)).to.be.below(1e-6);
    expect(l.power_cycles).to.equal(null);
  });
  it('§1.14 whole networks: per-layer latencies of cifar cap01 ts3', () => {
    const r = exploreNetwork(net('cifar', CIFAR_TS3), p);
    const want = [49.8129, 25.9047, 182.1839, 120.1250, 58.8713, 0.5950, 0.5731];
    r.layers.forEach((l, i) => expect(Math.abs(l.latency_s! - want[i]!)).to.be.below(1e-4));
    expect(Math.abs(r.latency_s! - 438.0658)).to.be.below(1e-4);
    expect(r.power_cycles).to.equal(r.layers.reduce((s, l) => s + l.power_cycles!, 0));
  });
});

describe('explorer: HW-NAS designs costed under intermittent power (§2.3, §7.2)', () => {
  const g = APPENDIX_A.find((x) => x.dataset === 'cifar' && x.power === 'cont' && x.ts === 'ts1')!;
  const n = net('cifar', g.arch);
  it('unsafe at 1 mF: 4 of 7 layers exceed the budget (Eu 125–205 %)', () => {
    const r = costFixedDesigns(n, platform({ capacitance_f: 0.001, harvester_resistance_ohm: 52 }), g.designs, { power: 'int', forceS1: true });
    expect(r.feasible).to.equal(false);
    expect(r.latency_s).to.equal(null);
    const unsafe = r.layers.filter((l) => !l.feasible);
    expect(unsafe).to.have.length(4);
    for (const l of unsafe) {
      expect(l.energy_utilisation!).to.be.within(1.24, 2.06);
      expect(l.reason).to.match(/^C1: /);
    }
    expect(r.issues.filter((i) => i.code === 'infeasible_c1')).to.have.length(4);
  });
  it('576.7 s at 5 mF (R 24) and 896.0 s at 10 mF (R 22); iNAS re-design 420.7 / 153.1 / 185.2 s', () => {
    const at = (c: number, r: number) => platform({ capacitance_f: c, harvester_resistance_ohm: r });
    expect(costFixedDesigns(n, at(0.005, 24), g.designs, { power: 'int', forceS1: true }).latency_s!).to.be.closeTo(576.7, 0.05);
    expect(costFixedDesigns(n, at(0.01, 22), g.designs, { power: 'int', forceS1: true }).latency_s!).to.be.closeTo(896.0, 0.05);
    expect(exploreNetwork(n, at(0.001, 52)).latency_s!).to.be.closeTo(420.7, 0.05);
    expect(exploreNetwork(n, at(0.005, 24)).latency_s!).to.be.closeTo(153.1, 0.05);
    expect(exploreNetwork(n, at(0.01, 22)).latency_s!).to.be.closeTo(185.2, 0.05);
  });
  it('reports a wrong number of designs', () => {
    const r = costFixedDesigns(n, platform(), g.designs.slice(1), { power: 'cont' });
    expect(r.feasible).to.equal(false);
    expect(r.issues[0]?.code).to.equal('invalid_argument');
  });
});

describe('explorer: infeasibility explanations', () => {
  it('C1: KWS 1 mF at margin 0.55 — no FC_0 design fits (least Epc ≈ 3.75e-4 J > 3.03e-4 J)', () => {
    const r = exploreNetwork(net('kws', [48, 128, 128, 96]), platform({ capacitance_f: 0.001, harvester_resistance_ohm: 62 }));
    expect(r.feasible).to.equal(false);
    expect(r.latency_s).to.equal(null);
    const l = r.layers[0]!;
    expect(l.feasible).to.equal(false);
    expect(l.explanation?.constraint).to.equal('C1');
    const e = l.explanation!.least_energy!;
    expect(e.energy_per_cycle_j!).to.be.above(3.75e-4).and.below(3.8e-4);
    expect(e.energy_per_cycle_j!).to.be.above(l.explanation!.budget_j!);
    expect(e.vm_bytes).to.be.at.most(2048);
    expect(l.explanation!.least_vm!.vm_bytes).to.be.at.most(e.vm_bytes);
    expect(l.reason).to.match(/^C1: none of the \d+ designs that fit in VM fits one power cycle's 3\.025e-4 J budget; the least energy per cycle is 3\.7\d{2}e-4 J/);
    expect(r.issues[0]?.code).to.equal('infeasible_c1');
    expect(r.issues[0]?.path).to.equal('layers[0] (FC_0)');
    // The other layers are still explored and reported.
    expect(r.layers.slice(1).every((x) => x.feasible)).to.equal(true);
    // With the tuned margin 0.69 it becomes feasible (Appendix A, KWS 1 mF).
    expect(exploreNetwork(net('kws', [48, 128, 128, 96]), platform({ capacitance_f: 0.001, harvester_resistance_ohm: 62, energy_margin: 0.69 })).feasible).to.equal(true);
  });
  it('C0: a VM too small for any tile names the smallest design and its bytes', () => {
    const p = platform({ capacitance_f: 0.01, harvester_resistance_ohm: 22, vm_capacity_bytes: 36 });
    const l = exploreLayer(net('cifar', CIFAR_TS3).layers[1]!, p, 'int');
    expect(l.feasible).to.equal(false);
    expect(l.explanation?.constraint).to.equal('C0');
    // Smallest tile: Tr = Tc = Tm = Tn = 1, 3×3 kernel → (3·3·1 + 3·3·1·1 + 1·1·1)·2 B = 38 B, first as reuse_I S1.
    expect(l.explanation!.least_vm).to.deep.include({ design: '1_1_1_1_reuse_I_S1', vm_bytes: 38 });
    expect(l.explanation!.least_vm!.energy_per_cycle_j).to.be.a('number');
    expect(l.reason).to.equal('C0: none of the 1920 designs fits in 36 bytes of VM; the smallest, 1_1_1_1_reuse_I_S1, needs 38 bytes (106 % of VM)');
    expect(l.failed_c0).to.equal(1920);
  });
  it('an invalid layer (unknown type) is reported with its issue code instead of crashing', () => {
    const n = net('cifar', CIFAR_TS3);
    const bad = { ...n, layers: n.layers.map((l, i) => (i === 2 ? { ...l, type: 'LSTM' as never } : l)) };
    const r = exploreNetwork(bad, platform());
    expect(r.feasible).to.equal(false);
    expect(r.layers[2]!.reason).to.match(/unknown layer type "LSTM"/);
    expect(r.issues[0]?.code).to.equal('unknown_layer_type');
    expect(r.layers[3]!.feasible).to.equal(true);
  });
  it('stops at the first infeasible layer when asked', () => {
    const p = platform({ vm_capacity_bytes: 8 });
    const r = exploreNetwork(net('cifar', CIFAR_TS3), p, { stopAtFirstInfeasible: true });
    expect(r.layers).to.have.length(1);
    expect(r.feasible).to.equal(false);
  });
});

describe('explorer: network checks (§1.13)', () => {
  it('latency requirement C2 makes a feasible network fail with the numbers', () => {
    const p = platform({ capacitance_f: 0.01, harvester_resistance_ohm: 22, latency_requirement_s: 400 });
    const r = exploreNetwork(net('cifar', CIFAR_TS3), p);
    expect(r.layers_feasible).to.equal(true);
    expect(r.meets_latency_requirement).to.equal(false);
    expect(r.feasible).to.equal(false);
    const i = r.issues.find((x) => x.code === 'latency_requirement')!;
    expect(i.message).to.match(/438\.066 s exceeds the requirement of 400 s/);
    expect(exploreNetwork(net('cifar', CIFAR_TS3), p, { latencyRequirementS: 500 }).feasible).to.equal(true);
  });
  it('NVM capacity: two feature buffers + weights', () => {
    const r = exploreNetwork(net('cifar', CIFAR_TS3), platform({ nvm_capacity_bytes: 20000 }));
    expect(r.nvm_ok).to.equal(false);
    expect(r.feasible).to.equal(false);
    expect(r.issues.some((i) => i.code === 'nvm_overflow')).to.equal(true);
  });
  it('corrected compat mode changes latencies but keeps the model well-formed', () => {
    const a = exploreNetwork(net('cifar', CIFAR_TS3), platform({ capacitance_f: 0.01, harvester_resistance_ohm: 22 }));
    const b = exploreNetwork(net('cifar', CIFAR_TS3), platform({ capacitance_f: 0.01, harvester_resistance_ohm: 22, compat: 'corrected' }));
    expect(b.feasible).to.equal(true);
    expect(b.latency_s!).to.be.above(a.latency_s!);
    expect(b.compat).to.equal('corrected');
  });
});
