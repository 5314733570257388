import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatIssues, loadSettings, overridesFromFlags, parseQuantity, resolveSettings, DEFAULT_SETTINGS } from '../../src/settings/index.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'inas-settings-'));
function file(name: string, value: unknown): string {
  const p = path.join(tmp, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

describe('settings/load', () => {
  for (const name of ['cifar10', 'har', 'kws', 'mnist', 'fashion-mnist']) {
    it(`loads settings/${name}.json`, () => {
      const r = loadSettings(`settings/${name}.json`);
      if (!r.ok) throw new Error(formatIssues(r.issues));
      expect(r.value.settings.dataset.name).to.equal(name);
      expect(r.value.settings.platform.capacitance_f).to.equal(0.005);
      expect(r.value.settings.platform.vm_capacity_bytes).to.equal(2048);
      expect(r.value.digest).to.match(/^[0-9a-f]{64}$/);
    });
  }
  it('matches the original eval configs over the class defaults (§4.3)', () => {
    const k = loadSettings('settings/kws.json');
    if (!k.ok) throw new Error('kws');
    expect(k.value.settings.search_space).to.deep.equal({ family: 'fc', layers: 4, kernel_sizes: [], filters: [48, 64, 96, 128], input_shape: [250, 1, 1], classes: 12 });
    expect(k.value.settings.training.batch_size).to.equal(100);
    const h = loadSettings('settings/har.json');
    if (!h.ok) throw new Error('har');
    expect(h.value.settings.search_space.input_shape).to.deep.equal([128, 1, 9]);
    expect(h.value.settings.training.batch_size).to.equal(512);
  });
  it('converts quantities with units', () => {
    const p = file('units.json', { platform: { capacitance_f: '470uF', harvester_resistance_ohm: '22 Ω', vm_capacity_bytes: '3 KiB', latency_requirement_s: '500 ms' } });
    const r = loadSettings(p);
    if (!r.ok) throw new Error(formatIssues(r.issues));
    expect(r.value.settings.platform.capacitance_f).to.be.closeTo(470e-6, 1e-15);
    expect(r.value.settings.platform.harvester_resistance_ohm).to.equal(22);
    expect(r.value.settings.platform.vm_capacity_bytes).to.equal(3072);
    expect(r.value.settings.platform.latency_requirement_s).to.equal(0.5);
    expect(parseQuantity('16 MHz', 'Hz', 'x')).to.deep.equal({ ok: true, value: 16e6 });
    const bad = parseQuantity('5 ohm', 'F', '/platform/capacitance_f');
    expect(!bad.ok && bad.issues[0]!.message).to.match(/expected a quantity in farads/);
  });
  it('reports bad values with file, JSON pointer, rule and value', () => {
    const p = file('neg.json', { platform: { capacitance_f: -1 } });
    const r = loadSettings(p);
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(formatIssues(r.issues)).to.equal(`${p}: /platform/capacitance_f: must be > 0 (got -1)`);
    const typo = loadSettings(file('typo.json', { platform: { capacitence_f: 1 } }));
    expect(!typo.ok && formatIssues(typo.issues)).to.match(/\/platform\/capacitence_f: unknown key \(expected one of profile, capacitance_f/);
    const en = loadSettings(file('enum.json', { search: { controller: 'genetic' } }));
    expect(!en.ok && formatIssues(en.issues)).to.match(/\/search\/controller: must be one of "reinforce", "evolution", "random" \(got "genetic"\)/);
    const volts = loadSettings(file('volts.json', { platform: { voff_v: 3.1 } }));
    expect(!volts.ok && formatIssues(volts.issues)).to.match(/\/platform\/voff_v: must be below von_v = 2.99 V \(got 3.1 V\)/);
    const json = loadSettings(file('broken.json', '{"platform": '));
    expect(!json.ok && json.issues[0]!.code).to.equal('invalid_json');
    const missing = loadSettings(path.join(tmp, 'nope.json'));
    expect(!missing.ok && missing.issues[0]!.code).to.equal('file_not_found');
  });
  it('imports original iNAS settings files over the class defaults, without the LOG_SETTINGS merge bug (§4.4)', () => {
    const r = loadSettings('test/fixtures/legacy/config_inas_cifar_INT_generic.json');
    if (!r.ok) throw new Error(formatIssues(r.issues));
    const s = r.value.settings;
    expect(r.value.format).to.equal('inas-legacy');
    expect(s.platform.power).to.equal('int');
    expect(s.platform.harvester_resistance_ohm).to.equal(300); // class default, not config_default.json's 1000
    expect(s.platform.energy_margin).to.equal(0.55);
    expect(s.search.trials).to.equal(5);
    expect(s.search.reward).to.equal('tecs21');
    expect(s.search_space.input_shape).to.deep.equal([32, 32, 3]);
    expect(s.output.dir).to.equal('trial_log/cifar/'); // merged although the file has no DUMPER_SETTINGS block
    const k = loadSettings('test/fixtures/legacy/config_inas_kws_CONT_generic.json');
    if (!k.ok) throw new Error(formatIssues(k.issues));
    expect(k.value.settings.platform.power).to.equal('cont');
    expect(k.value.settings.search_space.family).to.equal('fc');
    expect(k.value.settings.search_space.input_shape).to.deep.equal([250, 1, 1]);
    const bad = resolveSettings({ NAS_SETTINGS: { NUM_LAYRS: 3 } }, 'old.json');
    expect(!bad.ok && formatIssues(bad.issues)).to.match(/old.json: \/NAS_SETTINGS\/NUM_LAYRS: unknown key of the original iNAS NAS_SETTINGS/);
  });
  it('applies flag overrides with units, naming the flag on errors', () => {
    const ov = overridesFromFlags({ ccap: '470uF', rehm: '22 ohm', 'vm-capacity': '4 KiB', latreq: 'p50', trials: '7', seed: undefined });
    if (!ov.ok) throw new Error(formatIssues(ov.issues));
    const r = loadSettings('settings/cifar10.json', ov.value);
    if (!r.ok) throw new Error(formatIssues(r.issues));
    expect(r.value.settings.platform.capacitance_f).to.be.closeTo(4.7e-4, 1e-15);
    expect(r.value.settings.platform.vm_capacity_bytes).to.equal(4096);
    expect(r.value.settings.platform.latency_requirement_s).to.equal('p50');
    expect(r.value.settings.search.trials).to.equal(7);
    const base = loadSettings('settings/cifar10.json');
    expect(base.ok && base.value.digest).to.not.equal(r.value.digest);
    const bad = overridesFromFlags({ ccap: 'lots' });
    expect(!bad.ok && formatIssues(bad.issues)).to.match(/^--ccap: expected a quantity in farads/);
    const neg = overridesFromFlags({ ccap: '-1 mF' });
    if (!neg.ok) throw new Error('parse');
    const nr = loadSettings('settings/cifar10.json', neg.value);
    expect(!nr.ok && formatIssues(nr.issues)).to.match(/\/platform\/capacitance_f: must be > 0 \(got -0.001\)/);
  });
  it('defaults are the original class defaults (§4.1)', () => {
    const r = resolveSettings({}, 'empty');
    if (!r.ok) throw new Error('empty');
    expect(r.value.settings).to.deep.equal(DEFAULT_SETTINGS);
  });
});
