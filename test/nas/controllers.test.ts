import { expect } from 'chai';
import { createController, createEvolution, createReinforce, createActionSpace, mutate } from '../../src/nas/index.ts';
import { createRng } from '../../src/settings/index.ts';

const CHOICES = [[1, 3, 5, 7], [4, 8, 16, 24], [1, 3, 5, 7], [4, 8, 16, 24], [1, 3, 5, 7], [4, 8, 16, 24]];
const space = createActionSpace(CHOICES, false);
const target = [2, 1, 3, 0, 1, 3];
const matchFraction = (ix: readonly number[]): number => ix.filter((v, i) => v === target[i]).length / target.length;

describe('nas/controllers', () => {
  it('REINFORCE moves its policy toward the rewarded architecture (seed 7)', () => {
    const rng = createRng(7);
    const c = createReinforce(space, rng, { exploration: 0.1, learningRate: 0.005 });
    const probTarget = (): number => c.probabilities(target).reduce((p, row, t) => p * (row[target[t] ?? 0] ?? 0), 1);
    const before = probTarget();
    expect(before).to.be.closeTo(1 / 4 ** 6, 1 / 4 ** 6); // near-uniform at start
    let early = 0, late = 0;
    for (let i = 0; i < 300; i++) {
      const ix = c.propose(rng);
      const r = matchFraction(ix);
      if (i < 50) early += r;
      if (i >= 250) late += r;
      c.observe(ix, r);
    }
    const after = probTarget();
    expect(after).to.be.greaterThan(100 * before);
    expect(late / 50).to.be.greaterThan(early / 50 + 0.3);
  });

  it('REINFORCE samples from its policy (not argmax) and its state round-trips through JSON exactly', () => {
    const rng = createRng(3);
    const c = createReinforce(space, rng, { exploration: 0 });
    for (let i = 0; i < 5; i++) { const ix = c.propose(rng); c.observe(ix, matchFraction(ix)); }
    const restored = createReinforce(space, createRng(99), {}, JSON.parse(JSON.stringify(c.save())));
    const r1 = createRng(11), r2 = createRng(11);
    const a = Array.from({ length: 20 }, () => c.propose(r1));
    const b = Array.from({ length: 20 }, () => restored.propose(r2));
    expect(b).to.deep.equal(a);
    // sampling: a near-uniform policy proposes many different architectures
    expect(new Set(a.map((x) => x.join(','))).size).to.be.greaterThan(10);
    c.observe(target, 1); restored.observe(target, 1);
    expect(restored.save()).to.deep.equal(c.save());
  });

  it('the label bug is fixed: choice 0 is reinforced like any other', () => {
    const zero = [0, 0, 0, 0, 0, 0];
    const rng = createRng(5);
    const c = createReinforce(space, rng, { exploration: 0, learningRate: 0.05 });
    const p0 = c.probabilities(zero)[0]?.[0] ?? 0;
    c.observe(zero, 0); // sets the baseline
    for (let i = 0; i < 20; i++) c.observe(zero, 1);
    expect(c.probabilities(zero)[0]?.[0] ?? 0).to.be.greaterThan(p0 + 0.2);
  });

  it('regularized evolution beats random search on a synthetic objective (fixed seeds)', () => {
    const budget = 150;
    const bestOf = (name: 'evolution' | 'random', seed: number): number => {
      const rng = createRng(seed);
      const c = createController(name, space, rng, { evolution: { population: 16, sample: 4 } });
      let best = 0;
      for (let i = 0; i < budget; i++) {
        const ix = c.propose(rng);
        const obj = ix.reduce((s, v, k) => s - Math.abs(v - (target[k] ?? 0)), 0); // 0 at the target
        best = Math.max(best, obj === 0 ? 1 : 1 / (1 - obj));
        c.observe({ indices: ix, reward: obj, objective: obj });
      }
      return best;
    };
    let evoWins = 0, sumEvo = 0, sumRnd = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const e = bestOf('evolution', seed), r = bestOf('random', seed);
      sumEvo += e; sumRnd += r;
      if (e >= r) evoWins++;
    }
    expect(sumEvo).to.be.greaterThan(sumRnd);
    expect(evoWins).to.be.at.least(4);
  });

  it('evolution keeps the newest P members (aging) and mutates exactly one position', () => {
    const rng = createRng(1);
    const e = createEvolution(space, { population: 3, sample: 2 });
    for (let i = 0; i < 5; i++) e.observe([i % 4, 0, 0, 0, 0, 0], i);
    expect(e.save().population.map((m) => m.fitness)).to.deep.equal([2, 3, 4]);
    for (let i = 0; i < 50; i++) {
      const parent = [1, 2, 3, 0, 1, 2];
      const child = mutate(space, parent, rng);
      expect(child.filter((v, k) => v !== parent[k]).length).to.equal(1);
    }
  });

  it('a restored controller must match its saved kind', () => {
    const rng = createRng(1);
    const saved = createController('evolution', space, rng).save();
    expect(() => createController('reinforce', space, rng, {}, saved)).to.throw(/evolution/);
  });
});
