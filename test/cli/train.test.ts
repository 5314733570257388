// `inas train` end to end as a child process: a tiny MNIST run (embedded digits, fc family) trains, quantizes,
// evaluates on the test split and writes a solution that reads back and re-evaluates to the same Q15 accuracy.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDataset } from '../../src/data/index.ts';
import { trainAndPackage } from '../../src/nas/index.ts';
import { evaluateQModel, readSolution } from '../../src/quant/index.ts';
import { loadSettings } from '../../src/settings/index.ts';

function inasAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['scripts/inas.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('cli: inas train', () => {
  let dir = '';
  let settingsFile = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'inas-train-'));
    const base = JSON.parse(readFileSync('settings/mnist.json', 'utf8')) as Record<string, Record<string, unknown>>;
    settingsFile = path.join(dir, 'tiny.json');
    writeFileSync(settingsFile, JSON.stringify({
      ...base,
      search_space: { ...base['search_space'], family: 'fc', layers: 1, kernel_sizes: [], filters: [32] },
      dataset: { ...base['dataset'], train_subset: 3000 },
      training: { ...base['training'], epochs: 3, batch_size: 64, learning_rate: 0.003, patience: 0 },
    }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('trains a tiny MNIST model, prints the JSON contract, and the solution re-evaluates to the same Q15 accuracy', async () => {
    const out = path.join(dir, 'sol');
    const r = await inasAsync(['train', '--settings', settingsFile, '--arch', '32', '--out', out, '--json']);
    expect(r.status, r.stderr).to.equal(0);
    const v = JSON.parse(r.stdout) as { backend: string; accuracy: { float: number; q15: number }; params: number; macs: number; elapsed_s: number; solution: string };
    expect(v.backend).to.be.oneOf(['tensorflow', 'wasm', 'cpu']);
    expect(v.params).to.equal(28 * 28 * 32 + 32 * 10);
    expect(v.macs).to.equal(28 * 28 * 32 + 32 * 10);
    expect(v.elapsed_s).to.be.greaterThan(0);
    expect(v.solution).to.equal(path.join(out, 'solution.json'));
    expect(r.stderr).to.match(/epoch 3\/3 \[#+\] \d+\/\d+ 100% \d+ samples\/s in /);
    // Trained enough that the float model is clearly learning; Q15 within half a point of it.
    expect(v.accuracy.float).to.be.greaterThan(0.8);
    expect(Math.abs(v.accuracy.float - v.accuracy.q15), `float ${v.accuracy.float} vs q15 ${v.accuracy.q15}`).to.be.at.most(0.005);
    const sol = readSolution(v.solution);
    if (!sol.ok) throw new Error(JSON.stringify(sol.issues));
    expect(sol.value.solution.accuracy).to.deep.equal(v.accuracy);
    expect(sol.value.solution.layers.map((l) => l.name)).to.deep.equal(['FC_0', 'FC_END']);
    expect(sol.value.solution.layers.every((l) => l.design === null || /_reuse_[IWO]_S\d+$/.test(l.design))).to.equal(true);
    expect(sol.value.samples!.count).to.equal(8);
    const settings = loadSettings(settingsFile);
    if (!settings.ok) throw new Error('settings');
    const ds = await loadDataset(settings.value.settings.dataset, { seed: settings.value.settings.search.seed });
    if (!ds.ok) throw new Error('dataset');
    expect(evaluateQModel(sol.value.qmodel!, ds.value.test)).to.equal(v.accuracy.q15);
  });

  it('rejects a bad arch and a bad --weight-bits with exit 2 and one clear line', () => {
    const a = spawnSync(process.execPath, ['scripts/inas.mjs', 'train', '--settings', settingsFile, '--arch', '32,x'], { encoding: 'utf8' });
    expect(a.status).to.equal(2);
    expect(a.stderr.trim()).to.equal('inas: --arch: expected a comma-separated list of positive integers, got "32,x"');
    const b = spawnSync(process.execPath, ['scripts/inas.mjs', 'train', '--settings', settingsFile, '--arch', '32', '--weight-bits', '12'], { encoding: 'utf8' });
    expect(b.status).to.equal(2);
    expect(b.stderr.trim()).to.equal('inas: --weight-bits: must be one of 16, 8 (got "12")');
  });

  it('trainAndPackage refuses an action vector of the wrong length before loading anything', async () => {
    const settings = loadSettings(settingsFile);
    if (!settings.ok) throw new Error('settings');
    const r = await trainAndPackage(settings.value, [32, 16]);
    expect(r.ok).to.equal(false);
    expect(!r.ok && r.issues[0]!.message).to.match(/expected 1 values for 1 fc layers/);
  });
});
