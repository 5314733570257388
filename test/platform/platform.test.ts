// Platform: the §1.5 profile as data, compat modes, the capacitor/recharge model of §1.9 and validation.
import { expect } from 'chai';
import {
  COST_PROFILES, createPlatform, MSP430FR5994_EXTFRAM, MSP430FR5994_FRAM, rechargeTime, rechargeTimeS, type Platform,
} from '../../src/platform/index.ts';
import { DEFAULT_SETTINGS, type PlatformSettings } from '../../src/settings/index.ts';

function make(over: Partial<PlatformSettings> = {}): Platform {
  const r = createPlatform({ ...DEFAULT_SETTINGS.platform, ...over });
  if (!r.ok) throw new Error(r.issues[0]?.message);
  return r.value;
}
function close(a: number, b: number, rel = 1e-6): void {
  expect(Math.abs(a - b) / Math.abs(b), `${a} vs ${b}`).to.be.below(rel);
}

describe('platform: cost profile (§1.5)', () => {
  const t = make().costs;
  const rdE = (x: number) => t.rdEa * x + t.rdEb, rdL = (x: number) => (t.rdCa * x + t.rdCb) / t.clockHz;
  const wrE = (x: number) => t.wrEa * x + t.wrEb, wrL = (x: number) => (t.wrCa * x + t.wrCb) / t.clockHz;
  const macE = (x: number) => t.macEa * x + t.macEb, macL = (x: number) => (t.macCa * x + t.macCb) / t.clockHz;
  it('primitive sanity values', () => {
    close(rdE(1), 2.27e-7); close(rdL(1), 30.5e-6); close(rdE(16), 6.32e-7); close(rdL(16), 90.5e-6);
    close(wrE(1), 2.20175e-7); close(wrL(1), 30.39e-6, 1e-3);
    close(macE(1), 2.0494e-7, 1e-4); close(macL(1), 38.59e-6, 1e-3); close(macE(16), 2.1285e-7, 1e-4); close(macL(16), 40.0e-6, 1e-3);
  });
  it('derived overheads: energies, and latencies with the tecs21 bug', () => {
    close(t.fdIE, 1.238155e-7); close(t.fdIL, 1.9e-5);
    close(t.fdWE, 2.0476442e-7); close(t.fdWL, 3.35e-5);
    close(t.fdORuiE, 1.238155e-7); expect(t.fdORuiL).to.equal(t.fdORuiE);
    close(t.fdORuwE, 1.0456215e-7); expect(t.fdORuwL).to.equal(t.fdORuwE);
    close(t.bdORuiE, 1.8944662e-7); expect(t.bdORuiL).to.equal(t.bdORuiE);
    close(t.bdORuwE, 2.1657104e-7); close(t.bdORuoE, 1.238155e-7);
    close(t.psumE, 1.238155e-7); close(t.psumL, 3.275e-5);
    close(t.acumE, 6.9566654e-8); close(t.acumL, 1.05e-5);
    close(t.maxCmpE, 4.2281538e-9); close(t.maxCmpL, 8.75e-7);
    close(t.maxOvhdE, 2.7124423e-8); close(t.maxOvhdL, 4.25e-6);
  });
  it('corrected mode fixes the output fetch/backup latencies (same ADD/MUL counts as energy)', () => {
    const c = make({ compat: 'corrected' }).costs;
    close(c.fdORuiL, 19e-6); // 7·0.75 µs + 5·2.75 µs
    close(c.fdORuwL, 16.25e-6);
    close(c.bdORuiL, 28.75e-6);
    close(c.bdORuwL, 33e-6);
    expect(c.fdORuiE).to.equal(t.fdORuiE);
    expect(c.fdIL).to.equal(t.fdIL);
  });
  it('the internal-FRAM profile documents its provenance and is cheaper per element', () => {
    expect(MSP430FR5994_FRAM.provenance).to.match(/derived/i);
    expect(MSP430FR5994_FRAM.nvm_read.cycles_per_element).to.be.below(MSP430FR5994_EXTFRAM.nvm_read.cycles_per_element);
    expect(COST_PROFILES['msp430fr5994-fram'].vector_mac).to.deep.equal(MSP430FR5994_EXTFRAM.vector_mac);
    const p = make({ profile: 'msp430fr5994-fram' });
    expect(p.nvm_capacity_bytes).to.equal(262144);
    expect(p.notes.join('\n')).to.match(/capped/);
  });
  it('says which compat mode is active', () => {
    expect(make().notes[0]).to.match(/tecs21 constants \(original iNAS, incl\. its latency-constant bug\)/);
  });
});

describe('platform: capacitor and recharge (§1.9)', () => {
  it('Eav = ½·C·(Von² − Voff²)·margin', () => {
    close(make({ capacitance_f: 0.001 }).capacitor.usable_energy_j, 302.53e-6, 1e-5);
    close(make({ capacitance_f: 0.005 }).capacitor.usable_energy_j, 1512.64e-6, 1e-5);
    close(make({ capacitance_f: 0.01 }).capacitor.usable_energy_j, 3025.28e-6, 1e-5);
  });
  const cases: [number, number, number[]][] = [
    [0.001, 52, [0.129, 0.140, 0.153]],
    [0.005, 24, [0.298, 0.322, 0.353]],
    [0.01, 22, [0.547, 0.591, 0.647]],
  ];
  for (const [c, r, ts] of cases) {
    it(`recharge times at 25/50/90 % of Eav, C = ${c} F, R = ${r} Ω`, () => {
      const p = make({ capacitance_f: c, harvester_resistance_ohm: r });
      [0.25, 0.5, 0.9].forEach((f, i) => {
        const tr = rechargeTimeS(p.capacitor, p.harvester, f * p.capacitor.usable_energy_j);
        expect(Math.abs(tr - ts[i]!)).to.be.below(0.0015);
      });
    });
  }
  it('typed capacitor errors instead of exits', () => {
    const p = make();
    const over = rechargeTime(p.capacitor, p.harvester, 2 * p.capacitor.usable_energy_j);
    expect(over.ok).to.equal(false);
    if (!over.ok) expect(over.issues[0]?.code).to.equal('capacitor');
    const zero = rechargeTime(p.capacitor, p.harvester, 0);
    expect(zero.ok).to.equal(false);
  });
  it('a cycle that uses exactly Eav passes C1 and recharges from Voff (the original exited there)', () => {
    const p = make({ capacitance_f: 0.01, harvester_resistance_ohm: 22 });
    const full = rechargeTime(p.capacitor, p.harvester, p.capacitor.usable_energy_j);
    expect(full.ok).to.equal(true);
    // Vpce = Voff: t = −R·C·ln((Von − Vsup)/(Voff − Vsup)) = −22·0.01·ln(0.01/0.2).
    if (full.ok) expect(Math.abs(full.value - -22 * 0.01 * Math.log((2.99 - 3) / (2.8 - 3)))).to.be.below(1e-12);
    const bad = rechargeTime(p.capacitor, { ...p.harvester, vsup_v: 2.9 }, 1e-4);
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.issues[0]?.message).to.match(/supply 2.9 V must exceed the turn-on voltage 2.99 V/);
  });
});

describe('platform: validation', () => {
  it('rejects a negative capacitance naming the field', () => {
    const r = createPlatform({ ...DEFAULT_SETTINGS.platform, capacitance_f: -1 });
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.issues[0]?.path).to.equal('/platform/capacitance_f');
      expect(r.issues[0]?.message).to.equal('must be > 0 (got -1)');
      expect(r.issues[0]?.code).to.equal('invalid_value');
    }
  });
  it('rejects Voff ≥ Von, Vsup ≤ Von, margin > 1 and a fractional VM size', () => {
    const bad: Partial<PlatformSettings>[] = [{ voff_v: 3 }, { vsup_v: 2.9 }, { energy_margin: 1.5 }, { vm_capacity_bytes: 10.5 }];
    for (const b of bad) {
      const r = createPlatform({ ...DEFAULT_SETTINGS.platform, ...b });
      expect(r.ok, JSON.stringify(b)).to.equal(false);
    }
  });
  it('accepts a percentile latency requirement (resolved later) as null', () => {
    expect(make({ latency_requirement_s: 'p50' }).latency_requirement_s).to.equal(null);
    expect(make({ latency_requirement_s: 500 }).latency_requirement_s).to.equal(500);
  });
});
