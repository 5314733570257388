// `inas compare` end to end on real MNIST with a tiny budget: an int and a cont search, HW-NAS re-costed under
// intermittent power, compare.md / compare.json / compare.html written and consistent with the run directories.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const INAS = path.resolve('scripts/inas.mjs');

describe('cli/compare', function () {
  this.timeout(240_000);
  const out = mkdtempSync(path.join(tmpdir(), 'inas-compare-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('runs an int and a cont search and writes the table and the HTML page', () => {
    const args = [INAS, 'compare', 'settings/mnist.json', '--runs', '1', '--trials', '2', '--epochs', '1', '--train-subset', '200',
      '--batch-size', '32', '--evaluator', 'train', '--controller', 'random', '--no-package', '--out', out, '--json', '--quiet'];
    const r = spawnSync('node', args, { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const c = JSON.parse(r.stdout) as { rows: { inas_latency_s: number | null; hwnas_cont_latency_s: number | null; hwnas_int_best: { feasible: boolean; latency_s: number | null } | null;
      reduction_vs_best: number | null; inas_dir: string; hwnas_dir: string }[]; html: string };
    expect(c.rows).to.have.length(1);
    const row = c.rows[0]!;
    expect(existsSync(path.join(row.inas_dir, 'trials.jsonl'))).to.equal(true);
    expect(existsSync(path.join(row.hwnas_dir, 'trials.jsonl'))).to.equal(true);
    const hw = readFileSync(path.join(row.hwnas_dir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { accuracy: number | null; latency_s: number });
    // the HW-NAS best child's CONT latency is what its own search measured; under INT it is slower
    expect(hw.map((t) => t.latency_s)).to.include(row.hwnas_cont_latency_s);
    if (row.hwnas_int_best?.feasible) {
      expect(row.hwnas_int_best.latency_s).to.be.greaterThan(row.hwnas_cont_latency_s ?? Infinity);
      expect(row.reduction_vs_best).to.be.closeTo(1 - (row.inas_latency_s ?? 0) / (row.hwnas_int_best.latency_s ?? 1), 1e-12);
    }
    const md = readFileSync(path.join(out, 'compare.md'), 'utf8');
    expect(md).to.match(/^# iNAS vs HW-NAS: mnist \(2 trials per search, 1 run\)/);
    expect(md.split('\n').filter((l) => l.startsWith('| 0 |'))).to.have.length(1);
    const html = readFileSync(c.html, 'utf8');
    expect(html.match(/<svg /g)?.length).to.equal(5);
    // a second compare reads the finished runs instead of searching again
    const again = spawnSync('node', args, { encoding: 'utf8' });
    expect(again.status, again.stderr).to.equal(0);
    expect(JSON.parse(again.stdout).rows).to.deep.equal(c.rows);
  });
});
