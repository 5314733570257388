import { expect } from 'chai';
import { replayRun, runTsCampaign } from '../../src/faults/campaign.ts';
import { parseFaultSpec, type FaultSpecInput } from '../../src/faults/spec.ts';
import { plannedRuns } from '../../src/faults/campaign.ts';
import { DESIGNS, makeFixture, smallNetwork } from '../firmware/fixtures.ts';
import { smallModel } from './fixtures.ts';

const { q, inputs, labels } = smallModel();
function spec(i: FaultSpecInput) {
  const s = parseFaultSpec(i);
  if (!s.ok) throw new Error(JSON.stringify(s.issues));
  return s.value;
}
async function campaign(i: FaultSpecInput, runs: number, extra: { workers?: number; protect?: 'none' | 'crc'; seed?: number; share?: boolean } = {}) {
  const r = await runTsCampaign(q, inputs, labels, { spec: spec(i), runs, seed: extra.seed ?? 1, workers: extra.workers ?? 0, protect: extra.protect ?? 'none', ...(extra.share !== undefined ? { shareMainThread: extra.share } : {}) });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('faults/campaign (TS engine on the Q15 reference)', () => {
  it('--bits ranges follow the word width: 0..31 for psums, 0..15 for Q15 words, 0..7 for int8 weights (one message naming the width)', () => {
    expect(parseFaultSpec({ target: 'psums', bits: '16-31', excludeBits: '31' }).ok).to.equal(true);
    const wide = parseFaultSpec({ target: 'weights', bits: '8-16' });
    expect(!wide.ok && wide.issues[0]!.message).to.match(/0 <= lo <= hi <= 15: the words of target "weights" are at most 16 bits wide \(got "8-16"\)/);
    expect(!wide.ok && wide.issues[0]!.path).to.equal('--bits');
    const psum32 = parseFaultSpec({ target: 'psums', bits: '0-32' });
    expect(!psum32.ok && psum32.issues[0]!.message).to.match(/hi <= 31: the words of target "psums" are at most 32 bits wide \(got "0-32"\)/);
    // int8 weights: bits 8..15 do not exist (they used to be clamped silently to bit 7).
    const q8 = makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 3, count: 2, weightBits: 8 }).qmodel;
    const narrow = plannedRuns(q8, { spec: spec({ bits: '8-15' }), seed: 1, runs: 5 });
    expect(!narrow.ok && narrow.issues[0]!.path).to.equal('--bits');
    expect(!narrow.ok && narrow.issues[0]!.message).to.match(/^"8-15" reaches bit 15, but the int8 weights of layer FC_0 are 8 bits wide \(bits 0\.\.7\) \(also FC_1, FC_END\)/);
    expect(plannedRuns(q8, { spec: spec({ bits: '0-7' }), seed: 1, runs: 5 }).ok).to.equal(true);
    expect(plannedRuns(q8, { spec: spec({ bits: 'msb' }), seed: 1, runs: 5 }).ok).to.equal(true);
    const q15 = plannedRuns(q, { spec: spec({ bits: '15' }), seed: 1, runs: 5 });
    expect(q15.ok).to.equal(true);
  });
  it('no fault: accuracy equals clean accuracy, no SDC', async () => {
    const r = await campaign({ count: 0 }, 5);
    expect(r.accuracy.clean).to.equal(0.75);
    expect(r.accuracy.mean).to.equal(0.75);
    expect(r.sdc_rate.mean).to.equal(0);
    expect(r.faults_logged).to.equal(0);
    expect(r.sdc_rate.upper95_if_zero).to.be.closeTo(3 / (5 * 24), 1e-12);
  });
  it('sign-bit flips in weights are far more harmful than LSB flips', async () => {
    const msb = await campaign({ count: 20, bits: 'msb' }, 40);
    const lsb = await campaign({ count: 20, bits: '0' }, 40);
    expect(msb.sdc_rate.mean).to.be.greaterThan(lsb.sdc_rate.mean + 0.05);
    expect(msb.faults_logged).to.equal(800);
    expect(msb.per_bit.map((b) => b.key)).to.deep.equal(['bit15']);
  });
  it('BER mode injects about rate × stored bits faults per run', async () => {
    const bits = q.layers.reduce((n, l) => n + (l.weights ? l.weights.length * 16 : 0), 0);
    const r = await campaign({ ber: '1e-3' }, 60);
    const perRun = r.faults_logged / 60;
    expect(perRun).to.be.closeTo(bits * 1e-3, 4 * Math.sqrt(bits * 1e-3));
  });
  it('is reproducible: same seed same outcomes, worker threads equal in-thread, any run replays', async () => {
    const a = await campaign({ count: 3 }, 30, { workers: 0, seed: 42 });
    const b = await campaign({ count: 3 }, 30, { workers: 2, seed: 42, share: false }); // the workers compute every run
    expect(b.outcomes).to.deep.equal(a.outcomes);
    const shared = await campaign({ count: 3 }, 30, { workers: 2, seed: 42 }); // this thread shares the work
    expect(shared.outcomes).to.deep.equal(a.outcomes);
    const c = await campaign({ count: 3 }, 30, { workers: 0, seed: 43 });
    expect(c.outcomes).to.not.deep.equal(a.outcomes);
    const again = replayRun(q, inputs, labels, spec({ count: 3 }), 42, 17, 'none');
    expect(again).to.deep.equal(a.outcomes[17]);
    // logged old/new values are the real words of the model
    const f = a.outcomes[0]!.faults[0]!;
    expect(q.layers[f.layer_index]!.weights![f.index]).to.equal(f.old);
    expect(f.new).to.equal(((f.old & 0xffff) ^ (1 << f.bits[0]!)) << 16 >> 16);
  });
  it('a weights CRC turns silent corruption into detected refusals', async () => {
    const plain = await campaign({ count: 2, bits: 'msb' }, 30);
    const crc = await campaign({ count: 2, bits: 'msb' }, 30, { protect: 'crc' });
    expect(plain.sdc_rate.mean).to.be.greaterThan(0);
    expect(crc.sdc_rate.mean).to.equal(0);
    expect(crc.due_rate).to.equal(1);
    expect(crc.due_kinds.crc_refusal).to.equal(30);
  });
  it('activation faults (transient) and scale-metadata faults', async () => {
    const act = await campaign({ target: 'activations', count: 4, bits: '14-15' }, 20);
    expect(act.faults_logged).to.equal(20 * 24 * 4);
    expect(act.sdc_rate.mean).to.be.greaterThan(0);
    const sc = await campaign({ target: 'scales', count: 1, bits: '5-7' }, 30);
    expect(sc.due_kinds.check_refusal ?? 0).to.be.greaterThan(0);
  });
  it('plans runs from margin and confidence with the finite population of single bit flips', async () => {
    const s = spec({ count: 1 });
    const r = await runTsCampaign(q, inputs, labels, { spec: s, seed: 1, margin: 0.05, confidence: 0.95, workers: 0 });
    if (!r.ok) throw new Error('plan');
    const words = q.layers.reduce((n, l) => n + (l.weights?.length ?? 0), 0);
    expect(r.value.population).to.equal(words * 16);
    expect(r.value.planned_runs).to.equal(r.value.runs);
    expect(r.value.runs).to.be.within(370, 385);
    const [lo, hi] = r.value.sdc_rate.ci95;
    expect(lo).to.be.at.most(r.value.sdc_rate.mean);
    expect(hi).to.be.at.least(r.value.sdc_rate.mean);
  });
});

describe('faults/tolerance (fault-tolerant search reward)', () => {
  it('faulty accuracy of a float child: 1 without faults, lower under heavy bit errors, deterministic', async () => {
    const { createFaultyAccuracy } = await import('../../src/faults/index.ts');
    const { buildNetwork, layerWeightCount } = await import('../../src/network/index.ts');
    const { createRng } = await import('../../src/settings/index.ts');
    const { quantizeModel, quantizeInput, referenceInference } = await import('../../src/quant/index.ts');
    const net = buildNetwork([16], { family: 'fc', layers: 1, kernel_sizes: [], filters: [16], input_shape: [20, 1, 1], classes: 4 });
    if (!net.ok) throw new Error('net');
    const rng = createRng(9);
    const weights = net.value.layers.filter((l) => l.type === 'FC').map((l) => Float32Array.from({ length: layerWeightCount(l) }, () => rng.normal() * 0.3));
    const x = Float32Array.from({ length: 40 * 20 }, () => rng.normal());
    // Labels = the deployed (quantized) model's own clean classes, so the clean accuracy is exactly 1.
    const q = quantizeModel(net.value, weights, x);
    const y = Int32Array.from({ length: 40 }, (_, i) => referenceInference(q, quantizeInput(x.subarray(i * 20, (i + 1) * 20), q.input_frac)).class);
    const fa = createFaultyAccuracy({ calibration: x, split: { x, y, count: 40 }, runs: 8 });
    expect(await fa(net.value, weights, { ber: 0, seed: 1 })).to.equal(1);
    const low = await fa(net.value, weights, { ber: 1e-3, seed: 1 });
    expect(await fa(net.value, weights, { ber: 1e-3, seed: 1 })).to.equal(low);
    expect(await fa(net.value, weights, { ber: 0.1, seed: 1 })).to.be.lessThan(0.9);
    // weightBits 8: the child is attacked in its int8 deployment. Labels = the int8 model's own classes: exactly 1
    // without faults there, while the Q15 deployment disagrees with the int8 one on some of these inputs (an outlier
    // weight makes the int8 step coarse: most weights round to 0 or one step).
    weights[0]![0] = 20;
    const q8 = quantizeModel(net.value, weights, x, { weightBits: 8 });
    const y8 = Int32Array.from({ length: 40 }, (_, i) => referenceInference(q8, quantizeInput(x.subarray(i * 20, (i + 1) * 20), q8.input_frac)).class);
    const fa8 = createFaultyAccuracy({ calibration: x, split: { x, y: y8, count: 40 }, runs: 8 });
    expect(await fa8(net.value, weights, { ber: 0, seed: 1, weightBits: 8 })).to.equal(1);
    expect(await fa8(net.value, weights, { ber: 0, seed: 1 })).to.be.lessThan(1);
  });
});
