// Does a dumped model fit the MSP430's lower FRAM? The dumper refuses an msp430-sim model whose firmware image
// (code + compiled-in weights + NVM copy + golden vectors) cannot fit, with one message naming the sizes; its
// estimate stays above what a real clang build of the dump uses (so an accepted model builds) and close to it.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpModel, type DumpManifest } from '../../src/dumper/index.ts';
import { TARGET_LIMITS, estimateFramImage } from '../../src/dumper/targets.ts';
import { buildMsp430Dump } from '../../src/firmware/index.ts';
import { bigFcFixture, fcNetwork } from './big_models.ts';
import { DESIGNS, makeFixture, referenceCosts, smallNetwork, writeFixtureSolution } from './fixtures.ts';
import { inas, unwrap } from '../helpers.ts';

describe('msp430 targets: does the model fit the lower FRAM', function () {
  this.timeout(300_000);
  const root = mkdtempSync(path.join(os.tmpdir(), 'inas-msp430-fit-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('inas dump --target msp430-sim refuses a 38 KB FC model (exit 3, one message: needs, has, over by, what to do); --target msp430 dumps it', () => {
    const sol = writeFixtureSolution(path.join(root, 'big_sol'), bigFcFixture());
    const sim = inas('dump', sol, '--target', 'msp430-sim', '--out', path.join(root, 'big_sim'), '--golden', '2');
    expect(sim.status, sim.stderr).to.equal(3);
    const lines = sim.stderr.trim().split('\n');
    expect(lines, sim.stderr).to.have.length(1);
    const m = /needs about (\d+) B, has (\d+) B \(over by (\d+) B\)/.exec(lines[0] ?? '');
    expect(m, lines[0]).to.not.equal(null);
    const [need, has, over] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
    expect(has).to.equal(49024);
    expect(over).to.equal(need - has);
    // 2 × 38 432 B of weights (the compiled-in image and the NVM copy) alone exceed the 49 024 B.
    expect(need).to.be.greaterThan(2 * 38432);
    expect(lines[0]).to.include('compiled-in weights image 38432 B');
    expect(lines[0]).to.include('golden vectors 1016 B'); // the 2 vectors of --golden 2, 508 B each
    expect(lines[0]).to.match(/Use --target msp430 .* or a smaller model \(here at most about \d+ B of weights\)/);
    expect(lines[0]).to.match(/^inas: target: target msp430-sim: /);
    const board = inas('dump', sol, '--target', 'msp430', '--out', path.join(root, 'big_board'), '--golden', '2');
    expect(board.status, board.stderr).to.equal(0);
  });

  it('the estimate covers a real msp430-sim build of the fixtures (within 4 KiB), and a model just under the limit builds', async () => {
    const specs = [
      { name: 'fc', fixture: makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 11, count: 2 }) },
      { name: 'conv2d', fixture: makeFixture(smallNetwork('conv2d'), DESIGNS.conv2d_a, { seed: 11, count: 2 }) },
      // 500→8→6→3: 8 000 B of weights; the estimate is within 1 KiB of the 49 024 B.
      { name: 'fc500', fixture: makeFixture(fcNetwork(500, [8, 6]), ['1_1_1_1_reuse_O_S1', '1_1_3_4_reuse_O_S1', '1_1_1_6_reuse_W_S1'], { seed: 11, count: 2 }) },
    ];
    const cap = TARGET_LIMITS['msp430-sim'].fram_image?.capacity_bytes ?? 0;
    for (const s of specs) {
      const dir = path.join(root, s.name);
      unwrap(dumpModel({ ...s.fixture, costs: referenceCosts() }, dir, { target: 'msp430-sim' }));
      const man = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as DumpManifest;
      const est = estimateFramImage('msp430-sim', {
        nvm_size_bytes: man.nvm.size_bytes, weights_size_bytes: man.nvm.weights_size_bytes, layers: man.layers.length,
        input_elems: man.golden.input_elems, classes: man.golden.classes, golden_count: man.golden.count,
      });
      if (est === null) throw new Error('msp430-sim has a FRAM model');
      const built = unwrap(await buildMsp430Dump(dir, { target: 'msp430-sim' }));
      const used = built.sizes.fram_used_bytes;
      console.log(`      ${s.name}: estimate ${est.need_bytes} B, clang build ${used} B of lower FRAM (margin ${est.need_bytes - used} B)`);
      expect(est.need_bytes, s.name).to.be.at.least(used);
      expect(est.need_bytes - used, s.name).to.be.at.most(4096);
      if (s.name === 'fc500') expect(est.need_bytes).to.be.within(cap - 1024, cap);
    }
  });
});
