// The firmware engine of fault campaigns: the real host-built firmware (gcc), faults injected at NVM addresses by
// the host HAL, compared with the TS engine; torn checkpoints with vs without the CRC-checked progress records.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { dumpModel, planMemory, weightsImage } from '../../src/dumper/index.ts';
import { buildFirmware } from '../../src/firmware/index.ts';
import { argmax, referenceInference, runLayer, type QModel } from '../../src/quant/index.ts';
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
    layers = plan.value.layers.map((l) => ({ name: l.name, w_addr: l.w_addr, ofm_addr: l.ofm_addr, psum_steps: l.steps, psum_addr: plan.value.psum_addr[0], weight_bits: l.weight_bits, in_c: l.in_c, out_c: l.out_c, taps: l.k_h * l.k_w }));
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

  it('torn-write shapes (cut after k words, a stale word): 0 SDC / 0 DUE with CRC-checked records; without, shape by shape', async () => {
    const s = spec({ target: 'state', count: '0' });
    const opts = { spec: s, seed: 3, runs: 300 };
    const seen: Record<string, { sdc: number; due: number; torn: number }> = {};
    for (const shape of ['cut', 'cut:1', 'stale', 'stale:0']) {
      const prot = await runFirmwareCampaign(q, target({ failures: 'random:150', torn: shape }), opts);
      const unprot = await runFirmwareCampaign(q, target({ binary: unprotected, failures: 'random:150', torn: shape }), opts);
      if (!prot.ok || !unprot.ok) throw new Error(JSON.stringify(prot.ok ? unprot : prot));
      const torn = prot.value.outcomes.reduce((n, o) => n + (o.torn_writes ?? 0), 0);
      expect(torn, shape).to.be.greaterThan(300); // the shape really tore writes (every run has some)
      expect(prot.value.sdc_rate.mean, shape).to.equal(0);
      expect(prot.value.due_rate, shape).to.equal(0);
      seen[shape] = { sdc: unprot.value.outcomes.reduce((n, o) => n + o.sdc, 0), due: unprot.value.outcomes.filter((o) => o.due).length, torn };
    }
    // Unprotected: a record cut after a random number of words (new sequence number, stale footprint) and a record
    // with one random stale word are used silently: wrong outputs. A stale word 0 (the low half of the sequence
    // number) keeps the slot's older record, which loses to the committed one: harmless even without the CRC; so is
    // a cut after word 1 here (the new sequence number over the record two commits back: re-running from there
    // rewrites what it reads on this model).
    expect(seen['cut']!.sdc, JSON.stringify(seen)).to.be.greaterThan(0);
    expect(seen['stale']!.sdc + seen['stale']!.due, JSON.stringify(seen)).to.be.greaterThan(0);
    expect(seen['stale:0'], JSON.stringify(seen)).to.include({ sdc: 0, due: 0 });
    expect(seen['cut:1'], JSON.stringify(seen)).to.include({ sdc: 0, due: 0 });
    // A torn run replays: the shape and its seeded word index come from the run's schedule seed.
    const t = target({ binary: unprotected, failures: 'random:150', torn: 'cut' });
    const r = await runFirmwareCampaign(q, t, { ...opts, runs: 40 });
    const again = await replayFirmwareRun(q, t, s, 3, 17);
    expect(r.ok && again.ok && again.value).to.deep.equal(r.ok && r.value.outcomes[17]);
    const badShape = await runFirmwareCampaign(q, target({ failures: 'random:150', torn: 'cut:0' }), opts);
    expect(!badShape.ok && badShape.issues[0]!.message).to.match(/torn-write shape/);
  });

  it('activation faults in SRAM: a flipped input word of a layer gives the same logits on the firmware as on the TS reference; --act-load K hits one load', () => {
    // Every FC_0 output word (FC_1's input), bits 15 and 3, one fault per inference: read by FC_1 (stage 1).
    // FC_1 is reuse_O with Tm = 3 of 6 outputs: its input tile is loaded once per output-channel tile, so the
    // 1st load feeds outputs 0..2 only.
    const fc0 = layers[0]!;
    const cases: { e: number; bit: number; nth: number }[] = [];
    for (let e = 0; e < q.net.layers[0]!.ofm.ch; e++) for (const bit of [15, 3]) for (const nth of [0, 1]) cases.push({ e, bit, nth });
    let text = '';
    cases.forEach((c, r) => {
      text += `run ${r} 1\n`;
      for (let s = 0; s < golden.length; s++) text += `${fc0.ofm_addr! + 2 * c.e + (c.bit >> 3)} ${(1 << (c.bit & 7)).toString(16)} flip read ${s} 1 ${c.nth}\n`;
      text += 'end\n';
    });
    const file = path.join(root, 'acts.txt');
    writeFileSync(file, text);
    const out = spawnSync(binary, ['--inject', file, '--inferences', String(golden.length), '--uart', 'none'], { encoding: 'utf8' });
    expect(out.status, out.stderr).to.equal(0);
    const lines = out.stdout.split('\n').map(parseFiLine).filter((l) => l !== null);
    expect(lines).to.have.length(cases.length);
    let changed = 0, partial = 0;
    cases.forEach((c, r) => {
      const fi = lines[r]!;
      expect(fi.applied.size, `run ${r}`).to.equal(golden.length); // applied once per inference (first application logged)
      for (let s = 0; s < golden.length; s++) {
        const [l0, l1, l2] = q.net.layers;
        const a0 = runLayer(l0!, q.layers[0]!, fixture.inputs[s]!);
        const flipped = a0.slice();
        flipped[c.e] = ((flipped[c.e]! ^ (1 << c.bit)) << 16) >> 16;
        const a1 = runLayer(l1!, q.layers[1]!, flipped);
        if (c.nth === 1) { const clean = runLayer(l1!, q.layers[1]!, a0); for (let m = 3; m < a1.length; m++) a1[m] = clean[m]!; }
        const logits = runLayer(l2!, q.layers[2]!, a1);
        expect(fi.results.get(s)?.logits, `element ${c.e} bit ${c.bit} load ${c.nth} input ${s}`).to.deep.equal([...logits]);
        if (argmax(logits) !== golden[s]) changed++;
        if (c.nth === 1 && c.bit === 15 && runLayer(l1!, q.layers[1]!, flipped).some((v, m) => m >= 3 && v !== a1[m])) partial++;
      }
    });
    expect(changed).to.be.greaterThan(0);
    expect(partial).to.be.greaterThan(0); // the 2nd load (outputs 3..5) really was clean where a flip would change it
  });

  it('activation campaigns: the firmware engine classifies every run as the TS engine does (same seeds), with and without power failures', async () => {
    for (const input of [{ target: 'activations', count: '1' }, { target: 'activations', count: '2', bits: '10-15' }, { target: 'activations', model: 'stuck1', count: '1', persistence: 'permanent' },
      { target: 'activations', model: 'random', count: '1', layers: 'FC_1,FC_END' }] as FaultSpecInput[]) {
      const s = spec(input);
      const ts = await runTsCampaign(q, fixture.inputs, golden, { spec: s, seed: 4, runs: 60, workers: 0 });
      if (!ts.ok) throw new Error(JSON.stringify(ts.issues));
      for (const failures of [undefined, 'random:150']) {
        const fw = await runFirmwareCampaign(q, target(failures ? { failures } : {}), { spec: s, seed: 4, runs: 60 });
        if (!fw.ok) throw new Error(JSON.stringify(fw.issues));
        expect(fw.value.outcomes.map((o) => [o.correct, o.sdc, o.due]), `${JSON.stringify(input)} ${failures}`).to.deep.equal(ts.value.outcomes.map((o) => [o.correct, o.sdc, o.due]));
        if (s.persistence === 'transient') {
          // The same faults with the same old/new words (the TS engine logs them in layer order, the firmware in draw order).
          const key = (o: { faults: readonly { layer: string; index: number; old: number; new: number; sample: number }[] }) => o.faults.map((f) => JSON.stringify([f.sample, f.layer, f.index, f.old, f.new])).sort();
          expect(fw.value.outcomes.map(key)).to.deep.equal(ts.value.outcomes.map(key));
        }
      }
      if (input.count === '1' && !input.model) expect(ts.value.sdc_rate.mean).to.be.greaterThan(0);
    }
    const noMap = await runFirmwareCampaign(q, target({ layers: layers.map(({ ofm_addr: _a, ...l }) => l) }), { spec: spec({ target: 'activations' }), seed: 4, runs: 2 });
    expect(!noMap.ok && noMap.issues[0]!.message).to.match(/ofm_addr/);
  });

  it('partial-sum faults: a bit of a step-1 partial sum flipped as it is loaded gives the logits of the Q15 arithmetic with that sum flipped', async () => {
    // FC_1 (8 → 6, Tn = 4: two steps): step 1 loads Σ_{n<4} x_n·w_nm from P0 and adds the second half.
    const fc1 = layers[1]!;
    expect(fc1.psum_steps).to.equal(2);
    const l1 = q.net.layers[1]!, q1 = q.layers[1]!;
    const cases: { e: number; bit: number }[] = [];
    for (let e = 0; e < 6; e++) for (const bit of [31, 18, 9]) cases.push({ e, bit });
    let text = '';
    cases.forEach((c, r) => {
      text += `run ${r} 1\n`;
      for (let s = 0; s < golden.length; s++) text += `${fc1.psum_addr! + 4 * c.e + (c.bit >> 3)} ${(1 << (c.bit & 7)).toString(16)} flip read ${s} 1 1\n`;
      text += 'end\n';
    });
    const file = path.join(root, 'psums.txt');
    writeFileSync(file, text);
    const out = spawnSync(binary, ['--inject', file, '--inferences', String(golden.length), '--uart', 'none'], { encoding: 'utf8' });
    expect(out.status, out.stderr).to.equal(0);
    const lines = out.stdout.split('\n').map(parseFiLine).filter((l) => l !== null);
    expect(lines).to.have.length(cases.length);
    let changed = 0;
    cases.forEach((c, r) => {
      expect(lines[r]!.applied.size).to.equal(golden.length);
      for (let s = 0; s < golden.length; s++) {
        const x = runLayer(q.net.layers[0]!, q.layers[0]!, fixture.inputs[s]!);
        const w = q1.weights!;
        let first = 0, rest = 0;
        for (let n = 0; n < 8; n++) { const p = x[n]! * w[n * 6 + c.e]!; if (n < 4) first = (first + p) | 0; else rest = (rest + p) | 0; }
        const golden1 = runLayer(l1, q1, x);
        const acc = (((first ^ (1 << c.bit)) | 0) + rest) | 0;
        const sh = q1.shift;
        let y = sh > 0 ? (acc >> sh) + ((acc >> (sh - 1)) & 1) : acc * 2 ** -sh;
        y = Math.max(-32768, Math.min(32767, y));
        if (q1.relu && y < 0) y = 0;
        const a1 = golden1.slice();
        a1[c.e] = y;
        const logits = runLayer(q.net.layers[2]!, q.layers[2]!, a1);
        expect(lines[r]!.results.get(s)?.logits, `psum ${c.e} bit ${c.bit} input ${s}`).to.deep.equal([...logits]);
        if (argmax(logits) !== golden[s]) changed++;
      }
    });
    expect(changed).to.be.greaterThan(0);
    // Campaigns: psum words of the layers with >= 2 steps only (here FC_1), 32-bit words.
    expect(layers.filter((l) => (l.psum_steps ?? 1) > 1).map((l) => l.name)).to.deep.equal(['FC_1']);
    const r = await runFirmwareCampaign(q, target(), { spec: spec({ target: 'psums', count: '1' }), seed: 6, runs: 60 });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const fs = r.value.outcomes.flatMap((o) => o.faults);
    expect(fs).to.have.length(60 * golden.length);
    expect(new Set(fs.map((f) => f.layer))).to.deep.equal(new Set(['FC_1']));
    for (const f of fs) expect((f.old ^ f.new) >>> 0, JSON.stringify(f)).to.equal((1 << f.bits[0]!) >>> 0);
    expect(r.value.sdc_rate.mean).to.be.greaterThan(0);
    const ts = await runTsCampaign(q, fixture.inputs, golden, { spec: spec({ target: 'psums' }), seed: 6, runs: 4, workers: 0 });
    expect(!ts.ok && ts.issues[0]!.message).to.match(/needs --engine firmware/);
  });

  it('psums --psum-step S: the sums of steps 0..S-1 as loaded at step S (P0 at odd S, P1 at even), bits up to 31', async () => {
    // FC_1 8→6 in four partial-sum steps (tn = 2): step S loads the sums over inputs n < 2S.
    const f4 = makeFixture(smallNetwork('fc'), ['1_1_2_1_reuse_I_S4', '1_1_3_2_reuse_O_S1', '1_1_1_6_reuse_W_S1'], { seed: 7, count: 8, weightBits: 16 });
    const q4 = f4.qmodel;
    const dir = path.join(root, 'dump4');
    const d = dumpModel({ ...f4, costs: referenceCosts() }, dir, { target: 'host' });
    if (!d.ok) throw new Error(d.issues.map((i) => i.message).join('\n'));
    const plan = planMemory(q4, f4.solution, 'host');
    if (!plan.ok) throw new Error('plan');
    const [p0, p1] = plan.value.psum_addr;
    const layers4: FirmwareLayerMap[] = plan.value.layers.map((l) => ({ name: l.name, w_addr: l.w_addr, ofm_addr: l.ofm_addr, psum_steps: l.steps, psum_addr: p0, psum_addr1: p1, weight_bits: l.weight_bits, in_c: l.in_c, out_c: l.out_c, taps: l.k_h * l.k_w }));
    expect(layers4[1]!.psum_steps).to.equal(4);
    const g4 = Int32Array.from(d.value.golden.classes_expected);
    const b = await buildFirmware(dir, { target: 'host' });
    if (!b.ok) throw new Error('build');
    const t4 = (psumStep: number): FirmwareTarget => ({ binary: b.value.binary, layers: layers4, nvm_size_bytes: 0, golden: g4, labels: g4, psumStep });
    const q1 = q4.layers[1]!, w = q1.weights!;
    const x0 = f4.inputs.map((inp) => runLayer(q4.net.layers[0]!, q4.layers[0]!, inp));
    for (const step of [1, 2, 3]) {
      const r = await runFirmwareCampaign(q4, t4(step), { spec: spec({ target: 'psums', count: '1', bits: '16-31' }), seed: 4, runs: 12 });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      let sdc = 0;
      for (const o of r.value.outcomes) {
        expect(o.faults, `step ${step} run ${o.run}`).to.have.length(g4.length);
        for (const fl of o.faults) {
          const x = x0[fl.sample]!;
          expect(fl.nvm_addr).to.equal((step % 2 === 1 ? p0 : p1) + 4 * fl.index);
          expect(fl.bits[0]).to.be.within(16, 31);
          // The loaded word is exactly the sum of the steps before `step` (inputs n < 2·step).
          let partial = 0, rest = 0;
          for (let n = 0; n < 8; n++) { const p = x[n]! * w[n * 6 + fl.index]!; if (n < 2 * step) partial = (partial + p) | 0; else rest = (rest + p) | 0; }
          expect(fl.old, `step ${step} run ${o.run} sample ${fl.sample}`).to.equal(partial);
          expect((fl.old ^ fl.new) >>> 0).to.equal((1 << fl.bits[0]!) >>> 0);
          // The class the firmware must give with that sum corrupted (Q15 requantisation of FC_1, then FC_END).
          const acc = (fl.new + rest) | 0;
          const sh = q1.shift;
          let y = sh > 0 ? (acc >> sh) + ((acc >> (sh - 1)) & 1) : acc * 2 ** -sh;
          y = Math.max(-32768, Math.min(32767, y));
          if (q1.relu && y < 0) y = 0;
          const a1 = runLayer(q4.net.layers[1]!, q1, x).slice();
          a1[fl.index] = y;
          if (argmax(runLayer(q4.net.layers[2]!, q4.layers[2]!, a1)) !== g4[fl.sample]) sdc++;
        }
      }
      expect(r.value.outcomes.reduce((n, o) => n + o.sdc, 0), `step ${step}`).to.equal(sdc);
      const again = await replayFirmwareRun(q4, t4(step), spec({ target: 'psums', count: '1', bits: '16-31' }), 4, 3);
      expect(again.ok && JSON.stringify(again.value)).to.equal(JSON.stringify(r.value.outcomes[3]));
    }
    // Step 4 does not exist in a 4-step layer: nothing to corrupt; step 0 loads no sums.
    const none = await runFirmwareCampaign(q4, t4(4), { spec: spec({ target: 'psums', count: '1' }), seed: 4, runs: 2 });
    expect(!none.ok && none.issues[0]!.message).to.match(/nothing to corrupt for target "psums"/);
    const zero = await runFirmwareCampaign(q4, t4(0), { spec: spec({ target: 'psums', count: '1' }), seed: 4, runs: 2 });
    expect(!zero.ok && zero.issues[0]!.path).to.equal('--psum-step');
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
