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

// POOL (max/avg pooling) under INT and CONT, checked term by term against reference §1.7/§1.8/§1.4/§1.11, written
// out here from the platform's cost table (the kernels group the same terms differently).
describe('costmodel: POOL layers (§1.7 per-cycle cost, §1.8 cycles, §1.4 VM, §1.11 CONT)', () => {
  // A 2x2 pool with stride 2 on an 8x8x16 map: OFM 4x4x16.
  const pool: Layer = {
    index: 0, name: 'POOL_0', type: 'POOL', stride: 2, relu: false,
    kernel: { n: 16, ch: 1, h: 2, w: 2 }, ifm: { n: 1, ch: 16, h: 8, w: 8 }, ofm: { n: 1, ch: 16, h: 4, w: 4 },
  };
  const p = platform();
  const t = p.costs;
  const rd = (n: number): [number, number] => [t.rdEa * n + t.rdEb, (t.rdCa * n + t.rdCb) / t.clockHz];
  const wr = (n: number): [number, number] => [t.wrEa * n + t.wrEb, (t.wrCa * n + t.wrCb) / t.clockHz];

  for (const text of ['2_2_4_1_reuse_O_S2', '1_4_2_1_reuse_O_S8', '4_4_16_1_reuse_O_S1']) {
    it(`${text}: fetch, compare, one backup of Tm elements, reboot and loop indices`, () => {
      const dz = design(text);
      const c = costLayerInt(pool, dz, p);
      if (!c.ok) throw new Error(c.issues[0]?.message);
      const { tr, tc, tm, s } = dz;
      const tri = 2 * tr + 2 - 2, tci = 2 * tc + 2 - 2;
      const nI = tri * tci;
      const [rdE, rdL] = rd(tm), [wrE, wrL] = wr(tm), [rd4E, rd4L] = rd(4), [wr4E, wr4L] = wr(4);
      const fdE = s * nI * (rdE + t.fdIE) + (rdE + t.fdORuoE);
      const fdL = s * nI * (rdL + t.fdIL) + (rdL + t.fdORuoL);
      const cpE = s * tr * tc * tm * (t.maxCmpE + t.maxOvhdE);
      const cpL = s * tr * tc * tm * (t.maxCmpL + t.maxOvhdL);
      const bdE = wrE + t.bdORuoE, bdL = wrL + t.bdORuoL;
      const e = c.value.energy_breakdown_j, l = c.value.latency_breakdown_s;
      close(e.fetch_max, fdE, 1e-12); close(e.fetch_min, fdE, 1e-12); close(e.compute, cpE, 1e-12); close(e.backup, bdE, 1e-12);
      close(l.fetch_max, fdL, 1e-12); close(l.compute, cpL, 1e-12); close(l.backup, bdL, 1e-12);
      close(e.loop_index_fetch, rd4E, 1e-12); close(e.loop_index_backup, wr4E, 1e-12);
      close(l.loop_index_fetch, rd4L, 1e-12); close(l.loop_index_backup, wr4L, 1e-12);
      close(e.reboot, t.rbE, 1e-12); close(l.reboot, t.rbL, 1e-12);
      const epc = t.rbE + fdE + rd4E + cpE + bdE + wr4E;
      close(c.value.energy_per_cycle_max_j, epc, 1e-12);
      expect(c.value.energy_per_cycle_max_j).to.equal(c.value.energy_per_cycle_min_j);
      // §1.8: npc = (R/Tr)(C/Tc)(M/Tm)/S, every cycle is an n = 0 cycle.
      const npc = (4 / tr) * (4 / tc) * (16 / tm) / s;
      expect([c.value.power_cycles, c.value.cycles_n0, c.value.cycles_ngt0]).to.deep.equal([npc, npc, 0]);
      // §1.4: B_in = Tri·Tci·Tn (Tn = 1), no weights, B_out = Tr·Tc·Tm·S; 2 bytes per element.
      expect(c.value.vm_bytes).to.equal((nI + tr * tc * tm * s) * 2);
      // §1.10: every cycle followed by a recharge of the energy it used.
      const lpc = t.rbL + fdL + rd4L + cpL + bdL + wr4L;
      close(c.value.latency_s, npc * (lpc + (c.value.recharge_min_s ?? NaN)), 1e-12);
      close(c.value.energy_j, npc * epc, 1e-12);
    });
  }

  it('CONT: T tiles of fetch + compare + backup, no reboot, S = 1', () => {
    const k = costLayerCont(pool, design('2_2_4_1_reuse_O_S2'), p);
    if (!k.ok) throw new Error(k.issues[0]?.message);
    const T = 2 * 2 * 4, nI = 4 * 4;
    const [rdE, rdL] = rd(4), [wrE, wrL] = wr(4);
    close(k.value.energy_j, T * (nI * (rdE + t.fdIE) + (rdE + t.fdORuoE)) + T * 2 * 2 * 4 * (t.maxCmpE + t.maxOvhdE) + T * (wrE + t.bdORuoE), 1e-12);
    close(k.value.latency_s, T * (nI * (rdL + t.fdIL) + (rdL + t.fdORuoL)) + T * 2 * 2 * 4 * (t.maxCmpL + t.maxOvhdL) + T * (wrL + t.bdORuoL), 1e-12);
    expect(k.value.design).to.equal('2_2_4_1_reuse_O_S1');
    expect(k.value.tiles).to.equal(T);
  });

  it('allows only reuse_O and Tn = 1; S must divide M/Tm', () => {
    for (const [text, why] of [['2_2_4_1_reuse_I_S1', /supports only reuse_O/], ['2_2_4_2_reuse_O_S1', /Tn 2 must be 1/], ['2_2_4_1_reuse_O_S3', /S 3 does not divide the 4 batched/]] as const) {
      const r = costLayerInt(pool, design(text), p);
      expect(r.ok, text).to.equal(false);
      if (!r.ok) expect(r.issues[0]?.message, text).to.match(why);
    }
  });

  it('checkLayer: the window must equal the stride and the channel count is kept', () => {
    const badStride = checkLayer({ ...pool, stride: 1 });
    expect(badStride.ok).to.equal(false);
    if (!badStride.ok) expect(badStride.issues[0]?.message).to.match(/window 2 must equal its stride 1/);
    const badCh = checkLayer({ ...pool, ofm: { ...pool.ofm, ch: 8 } });
    expect(badCh.ok).to.equal(false);
    if (!badCh.ok) expect(badCh.issues.map((i) => i.message).join()).to.match(/keeps the channel count/);
  });
});
