// Cost model (iNAS-PMod) against the golden component values of reference §1.14 (obtained by running the original
// Python with numpy only), CIFAR 10 mF setup: margin 0.55, C = 0.01 F, REHM = 22 Ω, other settings.py defaults.
import { expect } from 'chai';
import { costLayerCont, costLayerInt, formatDesign, parseDesign, checkLayer, type Design } from '../../src/costmodel/index.ts';
import { buildNetwork, type Layer } from '../../src/network/index.ts';
import { createPlatform, type Platform } from '../../src/platform/index.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/index.ts';

function platform(over: Partial<typeof DEFAULT_SETTINGS.platform> = {}): Platform {
  const r = createPlatform({ ...DEFAULT_SETTINGS.platform, capacitance_f: 0.01, harvester_resistance_ohm: 22, ...over });
  if (!r.ok) throw new Error(r.issues[0]?.message);
  return r.value;
}
function design(s: string): Design {
  const r = parseDesign(s);
  if (!r.ok) throw new Error(r.issues[0]?.message);
  return r.value;
}
function close(actual: number | null, expected: number, rel = 1e-6): void {
  expect(actual, `expected ${expected}`).to.be.a('number');
  expect(Math.abs((actual as number) - expected) / Math.abs(expected), `${actual} vs ${expected}`).to.be.below(rel);
}

const cifar = buildNetwork([5, 4, 3, 16, 7, 16, 7, 24, 7, 24], DEFAULT_SETTINGS.search_space);
if (!cifar.ok) throw new Error('cifar net');
const layers: readonly Layer[] = cifar.value.layers;
const conv1 = layers[1]!;

describe('costmodel: design strings', () => {
  it('parses and formats Tr_Tc_Tm_Tn_reuse_X_S<S>; S defaults to 1', () => {
    expect(design('2_26_1_4_reuse_I_S8')).to.deep.equal({ tr: 2, tc: 26, tm: 1, tn: 4, order: 'reuse_I', s: 8 });
    expect(formatDesign(design('1_1_10_24_reuse_O'))).to.equal('1_1_10_24_reuse_O_S1');
  });
  it('rejects malformed strings with an invalid_argument issue', () => {
    for (const bad of ['2_26_1_reuse_I_S8', '2_26_1_4_reuse_X_S8', '0_26_1_4_reuse_I_S8', 'abc']) {
      const r = parseDesign(bad);
      expect(r.ok, bad).to.equal(false);
      if (!r.ok) expect(r.issues[0]?.code).to.equal('invalid_argument');
    }
  });
});

describe('costmodel: §1.14 golden components (CONV_1 of cifar cap01 ts3, 2_26_1_4_reuse_I_S8)', () => {
  const r = costLayerInt(conv1, design('2_26_1_4_reuse_I_S8'), platform());
  if (!r.ok) throw new Error(r.issues[0]?.message);
  const c = r.value;
  it('energy components', () => {
    close(c.energy_breakdown_j.reboot, 7.788e-5);
    close(c.energy_breakdown_j.fetch_max, 2.312216e-4);
    close(c.energy_breakdown_j.fetch_min, 8.528237e-5);
    close(c.energy_breakdown_j.loop_index_fetch, 3.08e-7);
    close(c.energy_breakdown_j.compute, 1.511976e-3);
    close(c.energy_breakdown_j.backup, 3.106098e-5);
    close(c.energy_breakdown_j.loop_index_backup, 3.0062e-7);
  });
  it('latency components', () => {
    close(c.latency_breakdown_s.reboot, 0.07);
    close(c.latency_breakdown_s.fetch_max, 2.509951e-2);
    close(c.latency_breakdown_s.fetch_min, 1.236e-2);
    close(c.latency_breakdown_s.loop_index_fetch, 4.25e-5);
    close(c.latency_breakdown_s.compute, 0.310284);
    close(c.latency_breakdown_s.backup, 3.046113e-3);
    close(c.latency_breakdown_s.loop_index_backup, 4.238944e-5);
  });
  it('no n>0 cycles, so max := min; totals, cycles, recharge, layer latency, VM', () => {
    expect(c.cycles_ngt0).to.equal(0);
    expect(c.cycles_n0).to.equal(26);
    expect(c.power_cycles).to.equal(26);
    close(c.energy_per_cycle_max_j, 1.7068075e-3);
    expect(c.energy_per_cycle_max_j).to.equal(c.energy_per_cycle_min_j);
    close(c.energy_utilisation, 0.5642, 1e-4);
    close(c.latency_per_cycle_max_s, 0.395775);
    close(c.recharge_min_s, 0.6005604);
    close(c.latency_s, 25.904721);
    expect(c.vm_bytes).to.equal(1800);
    expect(c.feasible).to.equal(true);
  });
  it('NVM traffic (§1.12) adds up reads and writes over all cycles', () => {
    close(c.nvm_access.read_s, 26 * (1.236e-2 + 4.25e-5));
    close(c.nvm_access.write_s, 26 * (3.046113e-3 + 4.238944e-5));
  });
  it('the same tiling under continuous power: E 0.0453304 J, L 8.62994 s', () => {
    const k = costLayerCont(conv1, design('2_26_1_4_reuse_I_S8'), platform());
    if (!k.ok) throw new Error('cont');
    close(k.value.energy_j, 0.0453304, 2e-6); // golden value has 6 significant digits
    close(k.value.latency_s, 8.62994);
    expect(k.value.design).to.equal('2_26_1_4_reuse_I_S1');
  });
  it('GAVGPOOL_0 1_8_24_1_reuse_O_S8 and FC_END 1_1_10_24_reuse_O_S1', () => {
    const g = costLayerInt(layers[5]!, design('1_8_24_1_reuse_O_S8'), platform());
    if (!g.ok) throw new Error('gap');
    close(g.value.energy_per_cycle_max_j, 1.9075567e-4);
    close(g.value.latency_per_cycle_max_s, 0.0872580);
    close(g.value.recharge_max_s, 0.5077401);
    expect(g.value.power_cycles).to.equal(1);
    close(g.value.latency_s, 0.5949981);
    expect(g.value.vm_bytes).to.equal(768);
    close(g.value.energy_utilisation, 0.0631, 1e-3);
    const f = costLayerInt(layers[6]!, design('1_1_10_24_reuse_O_S1'), platform());
    if (!f.ok) throw new Error('fc');
    close(f.value.energy_per_cycle_max_j, 9.4717263e-5);
    close(f.value.latency_per_cycle_max_s, 0.0727004);
    close(f.value.recharge_max_s, 0.5003740);
    close(f.value.latency_s, 0.5730744);
    expect(f.value.vm_bytes).to.equal(548);
  });
  it('C1 verdict: a design over the energy budget has no latency', () => {
    const k = costLayerInt(conv1, design('2_26_1_4_reuse_I_S8'), platform({ capacitance_f: 0.001 }));
    if (!k.ok) throw new Error('c1');
    expect(k.value.c1_ok).to.equal(false);
    expect(k.value.latency_s).to.equal(null);
    expect(k.value.energy_utilisation).to.be.above(1);
  });
});

describe('costmodel: validity checks and design fit (typed errors, never exits)', () => {
  it('rejects a design whose tiles do not divide the layer', () => {
    const r = costLayerInt(conv1, design('3_26_1_4_reuse_I_S8'), platform());
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.issues[0]?.code).to.equal('unsupported_design');
      expect(r.issues[0]?.message).to.match(/Tr 3 does not divide 26/);
    }
  });
  it('rejects reuse_I on GAVGPOOL and an S that does not divide the batched loop', () => {
    const g = costLayerInt(layers[5]!, design('1_8_24_1_reuse_I_S1'), platform());
    expect(g.ok).to.equal(false);
    const s = costLayerInt(conv1, design('2_26_1_4_reuse_I_S3'), platform());
    expect(s.ok).to.equal(false);
    if (!s.ok) expect(s.issues[0]?.message).to.match(/S 3 does not divide the 16 batched iterations/);
  });
  it('checkLayer reports a kernel as large as its input (the original crashed with sys.exit)', () => {
    const bad: Layer = { ...conv1, kernel: { ...conv1.kernel, h: 28, w: 28 }, ofm: { ...conv1.ofm, h: 1, w: 1 } };
    const r = checkLayer(bad);
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.issues.map((i) => i.message).join()).to.match(/kernel 28 must be smaller than the input 28/);
  });
  it('checkLayer reports an unknown layer type', () => {
    const r = checkLayer({ ...conv1, type: 'LSTM' as never });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.issues[0]?.code).to.equal('unknown_layer_type');
  });
});
