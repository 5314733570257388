import { expect } from 'chai';
import { criticalValue, leveugleSampleSize, percentile, ruleOfThree, wilsonInterval } from '../../src/faults/stats.ts';
import { applyWordFault, signExtend } from '../../src/faults/bits.ts';
import { eligibleBits, parseFaultSpec } from '../../src/faults/spec.ts';

describe('faults/stats', () => {
  it('critical values of the normal distribution', () => {
    expect(criticalValue(0.95)).to.be.closeTo(1.959964, 1e-5);
    expect(criticalValue(0.99)).to.be.closeTo(2.575829, 1e-5);
  });
  it('Leveugle sample sizes match the published table (fault-injection-anchors §4)', () => {
    // N = ∞ column and finite-population columns, computed from n = N / (1 + e²(N−1)/(t²p(1−p))).
    expect(leveugleSampleSize(0.05, 0.95)).to.equal(385);
    expect(leveugleSampleSize(0.01, 0.95)).to.equal(9604);
    // The published table rounds t to 2.576 (16 590); the exact quantile 2.5758 gives 16 588.
    expect(leveugleSampleSize(0.01, 0.99)).to.equal(16588);
    expect(leveugleSampleSize(0.05, 0.95, 320000)).to.equal(384);
    expect(leveugleSampleSize(0.01, 0.95, 65536)).to.equal(8377);
    expect(leveugleSampleSize(0.01, 0.99, 32768)).to.be.within(11013, 11014); // table: t rounded to 2.576
    expect(leveugleSampleSize(0.001, 0.99, 32768)).to.be.within(32130, 32140);
  });
  it('Wilson intervals and the rule of three', () => {
    const [lo, hi] = wilsonInterval(50, 100);
    expect(lo).to.be.closeTo(0.4038, 1e-3);
    expect(hi).to.be.closeTo(0.5962, 1e-3);
    const [z0, z1] = wilsonInterval(0, 100);
    expect(z0).to.equal(0);
    expect(z1).to.be.closeTo(0.037, 1e-3);
    expect(ruleOfThree(300)).to.equal(0.01);
    expect(percentile([1, 2, 3, 4, 5], 0.5)).to.equal(3);
  });
});

describe('faults/bits', () => {
  it('flips, sticks and replaces two\'s-complement words', () => {
    expect(applyWordFault(0, 16, 'bitflip', [15])).to.equal(-32768);
    expect(applyWordFault(-1, 16, 'bitflip', [0])).to.equal(-2);
    expect(applyWordFault(32767, 16, 'bitflip', [15])).to.equal(-1);
    expect(applyWordFault(5, 16, 'stuck0', [0])).to.equal(4);
    expect(applyWordFault(4, 16, 'stuck1', [15])).to.equal(-32764);
    expect(applyWordFault(127, 8, 'bitflip', [7])).to.equal(-1);
    expect(applyWordFault(-128, 8, 'burst', [6, 7])).to.equal(64);
    expect(applyWordFault(3, 16, 'random', [], 0xffff)).to.equal(-1);
    expect(signExtend(0x8000, 16)).to.equal(-32768);
    // flipping twice restores the word
    for (const v of [-32768, -1, 0, 1, 12345]) for (let b = 0; b < 16; b++) expect(applyWordFault(applyWordFault(v, 16, 'bitflip', [b]), 16, 'bitflip', [b])).to.equal(v);
  });
  it('parses fault specs and names bad options', () => {
    const s = parseFaultSpec({ model: 'bitflip', target: 'weights', ber: '1e-4', bits: '8-15', excludeBits: '15' });
    if (!s.ok) throw new Error('spec');
    expect(s.value.amount).to.deep.equal({ kind: 'ber', rate: 1e-4 });
    expect(eligibleBits(s.value, 16)).to.deep.equal([8, 9, 10, 11, 12, 13, 14]);
    const msb = parseFaultSpec({ bits: 'msb' });
    expect(msb.ok && eligibleBits(msb.value, 8)).to.deep.equal([7]);
    const bad = parseFaultSpec({ model: 'cosmic', ber: '2' });
    expect(!bad.ok && bad.issues.map((i) => i.path)).to.deep.equal(['--model', '--ber']);
    const both = parseFaultSpec({ ber: '1e-3', count: '2' });
    expect(!both.ok && both.issues[0]!.message).to.match(/only one of/);
  });
});
