// inas dump → inas build → inas simulate, through the real CLI (node scripts/inas.mjs), real gcc, real files.
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DESIGNS, makeFixture, smallNetwork, writeFixtureSolution } from '../firmware/fixtures.ts';
import { inas } from '../helpers.ts';

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

  it('--engine mspdebug: per layer the measured MSP430 cycles next to the cost model\'s on-time cycles and their ratio (JSON and table)', () => {
    const msp = path.join(dir, 'dump_msp');
    const fc = writeFixtureSolution(path.join(dir, 'sol_fc'), makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 11, count: 1 }));
    const d = inas('dump', fc, '--out', msp, '--target', 'msp430-sim', '--golden', '1');
    expect(d.status, d.stderr).to.equal(0);
    const s = inas('simulate', msp, '--engine', 'mspdebug', '--json');
    expect(s.status, s.stderr).to.equal(0);
    const rep = JSON.parse(s.stdout) as { engine: string; layers: { name: string; design: string; power_cycles: unknown; cycles: { simulated: number; simulated_s: number; predicted_s: number | null }; predicted_cycles: number; simulated_cycles: number; ratio: number }[] };
    expect(rep.engine).to.equal('mspdebug');
    expect(rep.layers.map((l) => l.name)).to.deep.equal(['FC_0', 'FC_1', 'FC_END']);
    for (const l of rep.layers) {
      expect(Object.keys(l)).to.include.members(['name', 'design', 'power_cycles', 'cycles', 'predicted_cycles', 'simulated_cycles', 'ratio']);
      expect(Object.keys(l.cycles)).to.deep.equal(['simulated', 'simulated_s', 'predicted_s']);
      expect(l.simulated_cycles).to.equal(l.cycles.simulated);
      expect(l.predicted_cycles).to.be.greaterThan(0);
      expect(l.ratio).to.be.closeTo(l.simulated_cycles / l.predicted_cycles, 1e-9);
    }
    // FC_0 is MAC work: within 2x of the model (test/firmware/msp430_sim_model.test.ts has the bounds per layer).
    expect(rep.layers[0]?.ratio).to.be.within(0.5, 2);
    const t = inas('simulate', msp, '--engine', 'mspdebug');
    expect(t.status, t.stderr).to.equal(0);
    expect(t.stdout).to.match(/layer\s+MSP430 cycles\s+model cycles\s+sim\/model\s+at 16 MHz \(s\)\s+predicted \(s\)/);
    const row = new RegExp(`FC_0\\s+${Math.round(rep.layers[0]!.cycles.simulated)}\\s+${Math.round(rep.layers[0]!.predicted_cycles)}\\s+${rep.layers[0]!.ratio.toFixed(2)}\\s`);
    expect(t.stdout).to.match(row);
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
