// inas dump → inas build → inas simulate, through the real CLI (node scripts/inas.mjs), real gcc, real files.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DESIGNS, makeFixture, smallNetwork, writeFixtureSolution } from '../firmware/fixtures.ts';

function inas(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/inas.mjs', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: inas dump / build / simulate', function () {
  this.timeout(600_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'inas-cli-sim-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const sol = writeFixtureSolution(path.join(dir, 'sol'), makeFixture(smallNetwork('conv2d'), DESIGNS.conv2d_a, { seed: 5, count: 2 }));
  const dump = path.join(dir, 'dump');

  it('dumps, builds and simulates under random torn-write failures with --json', () => {
    const d = inas('dump', sol, '--out', dump, '--golden', '2');
    expect(d.status, d.stderr).to.equal(0);
    expect(d.stdout).to.match(/CONV_0\s+2_4_2_1_reuse_I_S2\s+32\s+16\s+2\s+144/);
    expect(existsSync(path.join(dump, 'model.h'))).to.equal(true);
    const b = inas('build', dump, '--target', 'host', '--json');
    expect(b.status, b.stderr).to.equal(0);
    const built = JSON.parse(b.stdout) as { binary: string; size: { text_bytes: number } };
    expect(existsSync(built.binary)).to.equal(true);
    expect(built.size.text_bytes).to.be.greaterThan(1000);
    const s = inas('simulate', dump, '--failures', 'random:5:400', '--runs', '5', '--torn', '--json');
    expect(s.status, s.stderr).to.equal(0);
    const rep = JSON.parse(s.stdout) as Record<string, unknown>;
    expect(Object.keys(rep).slice(0, 8)).to.deep.equal(['engine', 'runs', 'mismatches', 'reboots', 'reexecuted_tiles', 'simulated_latency_s', 'predicted_latency_s', 'power_cycles']);
    expect(rep['engine']).to.equal('host');
    expect(rep['runs']).to.equal(5);
    expect(rep['mismatches']).to.equal(0);
    expect(rep['reboots']).to.be.greaterThan(0);
    expect(rep['inferences']).to.equal(10);
    expect(rep['checked_results']).to.equal(10);
    expect((rep['power_cycles'] as { predicted: number }).predicted).to.equal(20);
  });

  it('rejects a bad failure schedule and a folder that is not a dump, with exit 2', () => {
    const bad = inas('simulate', dump, '--failures', 'every:0');
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/--failures: "every:0" is not a failure schedule/);
    const none = inas('simulate', dir, '--json');
    expect(none.status).to.equal(2);
    expect(none.stderr).to.match(/not a dump folder/);
  });
});
