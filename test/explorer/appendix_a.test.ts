// The 36 published iNAS solutions (reference Appendix A) must come out identical: same design per layer,
// latency within 1e-9 relative — with the tecs21 constants. Source of the vectors: see appendix_a.ts.
import { expect } from 'chai';
import { costFixedDesigns, exploreNetwork } from '../../src/explorer/index.ts';
import { APPENDIX_A } from './appendix_a.ts';
import { goldenPlatform, net } from './fixtures.ts';

describe('explorer: Appendix A (36 published solutions)', () => {
  it('has all 36 vectors (27 INT + 9 CONT)', () => {
    expect(APPENDIX_A).to.have.length(36);
    expect(APPENDIX_A.filter((g) => g.power === 'int')).to.have.length(27);
  });
  for (const g of APPENDIX_A) {
    const label = `${g.dataset} ${g.power.toUpperCase()}${g.capacitance_f !== null ? ` C=${g.capacitance_f} F R=${g.resistance_ohm} Ω margin ${g.margin}` : ''} ${g.ts} [${g.arch.join(',')}]`;
    it(`reproduces ${label}`, () => {
      const n = net(g.dataset, g.arch);
      const p = goldenPlatform(g);
      const r = exploreNetwork(n, p);
      expect(r.layers.map((l) => l.design)).to.deep.equal([...g.designs]);
      expect(r.feasible).to.equal(true);
      expect(r.latency_s).to.be.a('number');
      expect(Math.abs((r.latency_s as number) - g.latency_s) / g.latency_s).to.be.below(1e-9);
      // Costing the published designs directly gives the same numbers (explorer and cost model agree), except that
      // under INT the original's fixed-design path sized GAVGPOOL IFM tiles differently (tecs21 keeps that quirk).
      const fixed = costFixedDesigns(n, p, g.designs, { power: g.power });
      fixed.layers.forEach((l, i) => {
        if (g.power === 'cont' || l.type !== 'GAVGPOOL') expect(l.latency_s, l.name).to.equal(r.layers[i]!.latency_s);
        else expect(l.latency_s === null || l.latency_s > r.layers[i]!.latency_s!, l.name).to.equal(true);
      });
    });
  }
});
