import { expect } from 'chai';
import { blendAccuracy, createRewardState, gatedReward, kendallTau, noteRepeat, percentile, parsePercentile, trainedReward } from '../../src/nas/index.ts';

describe('nas/reward', () => {
  it('tecs21 reproduces the original numbers (§3.5)', () => {
    const st = createRewardState('tecs21', 0.8);
    // gated children: −0.1 whatever the reason; latency violation: clip((Lreq−L)/(10·Lreq) − 1) = −0.1
    expect(gatedReward(st, 'invalid_arch', 1)).to.equal(-0.1);
    expect(gatedReward(st, 'no_feasible_design', 0.5)).to.equal(-0.1);
    expect(gatedReward(st, 'latency_requirement', 0.2, 120, 100)).to.equal(-0.1);
    // first trained child: acc 0.6, L 50 of Lreq 100: 0.6 − 0 + 0.05 → clipped to 0.1; m becomes acc (bias-corrected)
    expect(trainedReward(st, 0.6, 50, 100)).to.equal(0.1);
    expect(st.moving_acc).to.be.closeTo(0.6, 1e-12);
    // second: acc 0.58, L 80: 0.58 − 0.6 + 0.08 = 0.06; m = 0.8·0.6 + 0.2·0.58 = 0.596
    expect(trainedReward(st, 0.58, 80, 100)).to.be.closeTo(0.06, 1e-12);
    expect(st.moving_acc).to.be.closeTo(0.596, 1e-12);
    // the latency term grows with latency (the original's bonus for using up the budget)
    const a = createRewardState('tecs21', 0.8); trainedReward(a, 0.5, 10, 100);
    const b = createRewardState('tecs21', 0.8); trainedReward(b, 0.5, 10, 100);
    expect(trainedReward(a, 0.5, 90, 100)).to.be.greaterThan(trainedReward(b, 0.5, 10, 100));
    noteRepeat(st);
    expect(st.moving_acc).to.be.closeTo(0.596 * 1.2, 1e-12);
  });

  it('corrected: accuracy baseline, no latency bonus, scaled penalties below every trained child', () => {
    const st = createRewardState('corrected', 0.8);
    expect(trainedReward(st, 0.6, 50, 100)).to.equal(0);
    expect(trainedReward(st, 0.7, 10, 100)).to.be.closeTo(0.1, 1e-12);
    const x = createRewardState('corrected', 0.8); trainedReward(x, 0.6, 50, 100);
    const y = createRewardState('corrected', 0.8); trainedReward(y, 0.6, 50, 100);
    expect(trainedReward(x, 0.5, 90, 100)).to.equal(trainedReward(y, 0.5, 10, 100));
    expect(gatedReward(st, 'latency_requirement', 0.1, 110, 100)).to.be.closeTo(-1.1, 1e-12);
    expect(gatedReward(st, 'latency_requirement', 3, 400, 100)).to.equal(-2);
    expect(gatedReward(st, 'nvm_overflow', 0.25)).to.equal(-1.25);
    expect(gatedReward(st, 'invalid_arch', 0)).to.equal(-2);
    noteRepeat(st);
    expect(st.moving_acc).to.be.closeTo(0.8 * 0.6 + 0.2 * 0.7, 1e-12); // no ×1.2 outside tecs21
  });

  it('blends clean and faulty accuracy', () => {
    expect(blendAccuracy(0.9, 0.5, 0)).to.equal(0.9);
    expect(blendAccuracy(0.9, 0.5, 0.25)).to.be.closeTo(0.8, 1e-12);
    expect(blendAccuracy(0.9, null, 0.5)).to.equal(0.9);
  });

  it('Kendall τ-b and percentiles', () => {
    expect(kendallTau([1, 2, 3, 4], [10, 20, 30, 40])).to.equal(1);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).to.equal(-1);
    expect(kendallTau([1, 2, 3], [1, 3, 2])).to.be.closeTo(1 / 3, 1e-12);
    expect(kendallTau([1, 1, 2], [1, 2, 3])).to.be.closeTo(2 / Math.sqrt(6), 1e-12);
    expect(percentile([1, 2, 3, 4], 50)).to.equal(2.5);
    expect(percentile([10, 20, 30], 25)).to.equal(15);
    expect(parsePercentile('p50')).to.equal(50);
    expect(parsePercentile('P25')).to.equal(25);
    expect(parsePercentile('50')).to.equal(null);
  });
});
