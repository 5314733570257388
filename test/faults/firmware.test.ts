// The firmware engine of fault campaigns: the real host-built firmware (gcc), faults injected at NVM addresses by
// the host HAL, compared with the TS engine; torn checkpoints with vs without the CRC-checked progress records.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { dumpModel, planMemory, weightsImage } from '../../src/dumper/index.ts';
import { buildFirmware } from '../../src/firmware/index.ts';
import { referenceInference, type QModel } from '../../src/quant/index.ts';
import {
  parseFaultSpec, parseFiLine, replayFirmwareRun, runFirmwareCampaign, runTsCampaign, weightAddress,
  type FaultSpecInput, type FirmwareLayerMap, type FirmwareTarget,
} from '../../src/faults/index.ts';
import { DESIGNS, makeFixture, referenceCosts, smallNetwork } from '../firmware/fixtures.ts';

function spec(i: FaultSpecInput) {
  const s = parseFaultSpec(i);
  if (!s.ok) throw new Error(JSON.stringify(s.issues));
  return s.value;
}

describe('faults/firmware engine (host-built firmware, faults at NVM addresses)', function () {
  this.timeout(120_000);
  const root = mkdtempSync(path.join(os.tmpdir(), 'inas-fi-test-'));
  // FC 20 → 8 → 6 → 3, 16-bit weights; FC_1 takes two partial-sum steps (its checkpoints matter).
  const fixture = makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 7, count: 8, weightBits: 16 });
  const q: QModel = fixture.qmodel;
  let layers: FirmwareLayerMap[] = [];
  let golden = new Int32Array(0);
  let binary = '', unprotected = '';
  const target = (over: Partial<FirmwareTarget> = {}): FirmwareTarget => ({ binary, layers, nvm_size_bytes: 0, golden, labels: golden, ...over });

  before(async () => {
    const dir = path.join(root, 'dump');
    const d = dumpModel({ ...fixture, costs: referenceCosts() }, dir, { target: 'host' });
    if (!d.ok) throw new Error(d.issues.map((i) => i.message).join('\n'));
    const plan = planMemory(q, fixture.solution, 'host');
    if (!plan.ok) throw new Error('plan');
    layers = plan.value.layers.map((l) => ({ name: l.name, w_addr: l.w_addr, weight_bits: l.weight_bits, in_c: l.in_c, out_c: l.out_c, taps: l.k_h * l.k_w }));
    golden = Int32Array.from(d.value.golden.classes_expected);
    const a = await buildFirmware(dir, { target: 'host' });
    const b = await buildFirmware(dir, { target: 'host', defines: ['INAS_PROGRESS_CRC=0'] });
    if (!a.ok || !b.ok) throw new Error('build');
    binary = a.value.binary;
    unprotected = b.value.binary;
    expect(binary).to.not.equal(unprotected);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('maps canonical weight indices ([kh][kw][n][m]) to the NVM image ([kh][kw][m][n]) of the dumper', () => {
    const plan = planMemory(q, fixture.solution, 'host');
    if (!plan.ok) throw new Error('plan');
    const image = weightsImage(q, plan.value);
    const view = new DataView(image.buffer);
    q.layers.forEach((ql, li) => {
      if (!ql.weights) return;
      for (let i = 0; i < ql.weights.length; i++) {
        expect(view.getInt16(weightAddress(layers[li]!, i) - plan.value.weights_addr, true), `${ql.name}[${i}]`).to.equal(ql.weights[i]);
      }
    });
  });

  it('a single flipped weight bit gives the same logits on the firmware as on the TS reference', () => {
    // Every layer, several elements and bits (sign, high, low): one run each, all golden inputs.
    const cases: { li: number; index: number; bit: number }[] = [];
    q.layers.forEach((ql, li) => {
      if (!ql.weights) return;
      for (const index of [0, 1, ql.weights.length - 1, Math.floor(ql.weights.length / 3)]) for (const bit of [15, 12, 7, 0]) cases.push({ li, index, bit });
    });
    let text = '';
    cases.forEach((c, r) => {
      const a = weightAddress(layers[c.li]!, c.index);
      text += `run ${r} 1\n${a + (c.bit >> 3)} ${(1 << (c.bit & 7)).toString(16)} flip boot\nend\n`;
    });
    const file = path.join(root, 'flips.txt');
    writeFileSync(file, text);
    const out = spawnSync(binary, ['--inject', file, '--inferences', String(golden.length), '--uart', 'none'], { encoding: 'utf8' });
    expect(out.status).to.equal(0);
    const lines = out.stdout.split('\n').map(parseFiLine).filter((l) => l !== null);
    expect(lines).to.have.length(cases.length);
    let changed = 0;
    cases.forEach((c, r) => {
      const layersCopy = q.layers.map((l, i) => (i === c.li && l.weights ? { ...l, weights: l.weights.slice() } : l));
      const w = layersCopy[c.li]!.weights!;
      w[c.index] = ((w[c.index]! ^ (1 << c.bit)) << 16) >> 16;
      const faulty: QModel = { ...q, layers: layersCopy };
      const fi = lines[r]!;
      for (let s = 0; s < golden.length; s++) {
        const ref = referenceInference(faulty, fixture.inputs[s]!);
        const got = fi.results.get(s);
        expect(got?.logits, `layer ${c.li} index ${c.index} bit ${c.bit} input ${s}`).to.deep.equal([...ref.logits]);
        if (ref.class !== golden[s]) changed++;
      }
    });
    expect(changed).to.be.greaterThan(0); // some flips do change classes: the comparison is not vacuous
  });

  it('campaigns: the firmware engine classifies every run as the TS engine does (same seeds), logs addresses, replays', async () => {
    for (const input of [{ count: '1' }, { count: '3', bits: '8-15' }, { model: 'stuck1', count: '2' }, { model: 'random', count: '1' }] as FaultSpecInput[]) {
      const s = spec(input);
      const fw = await runFirmwareCampaign(q, target(), { spec: s, seed: 5, runs: 60 });
      const ts = await runTsCampaign(q, fixture.inputs, golden, { spec: s, seed: 5, runs: 60, workers: 0 });
      if (!fw.ok || !ts.ok) throw new Error(JSON.stringify(fw.ok ? ts : fw));
      expect(fw.value.engine).to.equal('firmware');
      expect(fw.value.outcomes.map((o) => [o.correct, o.sdc, o.due]), JSON.stringify(input)).to.deep.equal(ts.value.outcomes.map((o) => [o.correct, o.sdc, o.due]));
      expect(fw.value.outcomes.map((o) => o.faults.map((f) => [f.layer, f.index, f.old, f.new]))).to.deep.equal(ts.value.outcomes.map((o) => o.faults.map((f) => [f.layer, f.index, f.old, f.new])));
      expect(fw.value.outcomes[0]!.faults[0]!.nvm_addr).to.equal(weightAddress(layers[fw.value.outcomes[0]!.faults[0]!.layer_index]!, fw.value.outcomes[0]!.faults[0]!.index));
      expect(fw.value.sdc_rate.mean).to.equal(ts.value.sdc_rate.mean);
    }
    const s = spec({ count: '2', bits: 'msb' });
    const fw = await runFirmwareCampaign(q, target(), { spec: s, seed: 9, runs: 20 });
    if (!fw.ok) throw new Error('campaign');
    expect(fw.value.sdc_rate.mean).to.be.greaterThan(0);
    const again = await replayFirmwareRun(q, target(), s, 9, 13);
    expect(again.ok && again.value).to.deep.equal(fw.value.outcomes[13]);
  });

  it('torn checkpoints: CRC-checked progress records never give a wrong output; without them, silent corruption', async () => {
    const s = spec({ target: 'state', count: '0' });
    const opts = { spec: s, seed: 3, runs: 150 };
    const prot = await runFirmwareCampaign(q, target({ failures: 'random:150', torn: true }), opts);
    const unprot = await runFirmwareCampaign(q, target({ binary: unprotected, failures: 'random:150', torn: true }), opts);
    if (!prot.ok || !unprot.ok) throw new Error('campaign');
    expect(prot.value.sdc_rate.mean).to.equal(0);
    expect(prot.value.due_rate).to.equal(0);
    expect(prot.value.accuracy.mean).to.equal(1);
    // Unprotected: torn records are used; some runs compute wrong outputs (SDC) or refuse/loop (DUE).
    const bad = unprot.value.outcomes.filter((o) => o.sdc > 0 || o.due !== null).length;
    expect(unprot.value.sdc_rate.mean, JSON.stringify(unprot.value.due_kinds)).to.be.greaterThan(0);
    expect(bad).to.be.greaterThan(0);
  });

  it('state faults: progress-record words at their NVM addresses, with fields; a hang budget gives DUE hang', async () => {
    const s = spec({ target: 'state', count: '1', layers: 'state.slot0,state.slot1' });
    const r = await runFirmwareCampaign(q, target({ failures: 'every:9' }), { spec: s, seed: 2, runs: 40 });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const fs = r.value.outcomes.flatMap((o) => o.faults);
    expect(fs.length).to.be.greaterThan(30);
    for (const f of fs) {
      expect(f.nvm_addr).to.be.within(32, 94);
      expect(f.when).to.match(/^write \d+$/);
      expect(f.field).to.be.a('string');
      expect((f.old ^ f.new) & 0xffff).to.equal(1 << f.bits[0]!);
    }
    const hang = await runFirmwareCampaign(q, target(), { spec: spec({ count: '1' }), seed: 2, runs: 4, maxOps: 50 });
    expect(hang.ok && hang.value.due_kinds).to.deep.equal({ hang: 4 });
    const refused = await runFirmwareCampaign(q, target(), { spec: spec({ target: 'scales' }), seed: 2, runs: 4 });
    expect(!refused.ok && refused.issues[0]!.message).to.match(/layer table/);
  });
});
