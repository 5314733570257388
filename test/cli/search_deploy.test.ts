// `inas search` deployment width and dataset warnings, end to end: a tiny search with training.weight_bits 8
// (--weight-bits 8) packages int8 weights into best.json (with bit-error training and the fault-tolerant reward on),
// an invalid width exits 2 naming the key, and a CIFAR decoded cache that cannot be written is reported as a warning.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSolution } from '../../src/quant/index.ts';
import { writeCifar } from '../data/fixtures.ts';

const INAS = path.resolve('scripts/inas.mjs');

function inas(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [INAS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    c.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    c.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('cli/search: weight width and dataset warnings', function () {
  this.timeout(120_000);
  const out = mkdtempSync(path.join(tmpdir(), 'inas-search-deploy-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('--weight-bits 8 packages int8 weights into best.json, and the unwritable CIFAR cache warning is printed once', async () => {
    // Small generated CIFAR-format files; a non-empty directory where the decoded cache should go: the rename fails
    // even for root.
    const root = path.join(out, 'data');
    const bin = writeCifar(path.join(root, 'cifar10'), 4);
    const cache = path.join(bin, '.inas-cache-cifar10.bin');
    mkdirSync(path.join(cache, 'x'), { recursive: true });
    const r = await inas(['search', 'settings/cifar10.json', '--data-dir', root, '--trials', '2', '--epochs', '1', '--batch-size', '8',
      '--evaluator', 'train', '--controller', 'random', '--weight-bits', '8', '--bit-error-rate', '0.001', '--fault-alpha', '0.5',
      '--out', out, '--name', 'int8', '--json']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/fault-tolerant reward: .* on int8 weights/);
    // The CLI (fault-tolerant reward) and the search both load the dataset: one line for the one problem.
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(lines).to.have.length(1);
    expect(lines[0]!.startsWith(`warning: ${cache}: cannot write the decoded-data cache`), lines[0]).to.equal(true);
    const sm = JSON.parse(r.stdout) as { best: string; weight_bits: number; accuracy_q15: number | null; warnings: { code: string; path: string }[] };
    expect(sm.warnings.map((w) => [w.code, w.path])).to.deep.equal([['file_unwritable', cache]]);
    expect(sm.weight_bits).to.equal(8);
    expect(sm.best).to.equal(path.join(out, 'int8', 'best.json'));
    const sol = readSolution(sm.best);
    if (!sol.ok) throw new Error(JSON.stringify(sol.issues));
    const layers = sol.value.qmodel!.layers.filter((l) => l.weights_count > 0);
    expect(layers.length).to.be.greaterThan(0);
    for (const l of layers) {
      expect(l.weight_bits).to.equal(8);
      expect(l.weights).to.be.instanceOf(Int8Array);
    }
    expect(sm.accuracy_q15).to.be.a('number');
    expect(sol.value.solution.accuracy.q15).to.equal(sm.accuracy_q15);
    const md = readFileSync(path.join(out, 'int8', 'summary.md'), 'utf8');
    expect(md).to.match(/\| weight width \| 8 bits \(int8 weights, Q15 activations\) \|/);
    expect(md).to.include(`| best: int8 accuracy (test) | ${sm.accuracy_q15!.toPrecision(4)} |`);
    const state = JSON.parse(readFileSync(path.join(out, 'int8', 'state.json'), 'utf8')) as { settings: { training: { weight_bits: number } } };
    expect(state.settings.training.weight_bits).to.equal(8);
  });

  it('an invalid width exits 2 naming the flag and the allowed values, before any run folder is made', async () => {
    const r = await inas(['search', 'settings/mnist.json', '--weight-bits', '12', '--out', out, '--name', 'bad']);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim()).to.equal('inas: --weight-bits: must be one of 16, 8 (got "12")');
    expect(() => readFileSync(path.join(out, 'bad', 'state.json'))).to.throw();
  });
});
