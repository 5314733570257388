import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeSmallSolution } from '../faults/fixtures.ts';
import { tornArgs } from '../../src/cli/faults.ts';
import { DESIGNS, makeFixture, smallNetwork, writeFixtureSolution } from '../firmware/fixtures.ts';
import { inas } from '../helpers.ts';

describe('cli: inas faults', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'inas-faults-'));
  const sol = writeSmallSolution(dir);
  it('runs a campaign with --json and writes a replayable log', () => {
    const log = path.join(dir, 'w.jsonl');
    const r = inas('faults', sol, '--model', 'bitflip', '--target', 'weights', '--count', '2', '--bits', 'msb', '--runs', '150', '--seed', '3', '--log', log, '--json');
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as Record<string, any>;
    expect(out['engine']).to.equal('ts');
    expect(out['runs']).to.equal(150);
    expect(out['planned_runs']).to.equal(150);
    expect(out['accuracy']['clean']).to.equal(1);
    expect(out['accuracy']['ci95']).to.have.length(2);
    expect(out['sdc_rate']['mean']).to.be.greaterThan(0);
    expect(out['faults_logged']).to.equal(300);
    expect(out['log']).to.equal(log);
    const rep = inas('faults-replay', log, '--run', '42', '--json');
    expect(rep.status, rep.stderr).to.equal(0);
    expect(JSON.parse(rep.stdout).match).to.equal(true);
  });
  it('plans runs from --margin/--confidence and sweeps BER curves', () => {
    const r = inas('faults', sol, '--ber', '1e-4,1e-2', '--margin', '0.1', '--confidence', '0.9', '--json');
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { curve: { ber: number; runs: number; sdc_rate: { mean: number } }[] };
    expect(out.curve.map((c) => c.ber)).to.deep.equal([1e-4, 1e-2]);
    expect(out.curve[0]!.runs).to.equal(68); // Leveugle: t(0.9)=1.645, e=0.1, p=0.5 → 67.6 → 68
    expect(out.curve[1]!.sdc_rate.mean).to.be.greaterThan(out.curve[0]!.sdc_rate.mean);
  });
  it('rejects bad options with exit 2', () => {
    const r = inas('faults', sol, '--model', 'cosmic-ray');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/--model: must be one of bitflip, burst, stuck0, stuck1, random \(got "cosmic-ray"\)/);
    const m = inas('faults', path.join(dir, 'missing.json'));
    expect(m.status).to.equal(2);
    const b = inas('faults', sol, '--bits', '12-31');
    expect(b.status).to.equal(2);
    expect(b.stderr).to.match(/--bits: range must satisfy 0 <= lo <= hi <= 15: the words of target "weights" are at most 16 bits wide \(got "12-31"\)/);
  });
  it('--torn is a flag: a path after it is the target, shapes go to --torn-shape (old --torn SHAPE / --torn=SHAPE still read)', () => {
    expect(tornArgs(['--torn', 'sol.json', '--failures', 'random'])).to.deep.equal(['--torn', 'sol.json', '--failures', 'random']);
    expect(tornArgs(['x', '--torn', 'stale:2'])).to.deep.equal(['x', '--torn', '--torn-shape', 'stale:2']);
    expect(tornArgs(['--torn=cut', 'x'])).to.deep.equal(['--torn', '--torn-shape', 'cut', 'x']);
    expect(tornArgs(['--torn', '--', 'byte'])).to.deep.equal(['--torn', '--', 'byte']);
    // The solution after --torn is read as the target: the run gets as far as the checks that need it.
    const ts = inas('faults', '--torn', sol, '--count', '1');
    expect(ts.status).to.equal(2);
    expect(ts.stderr).to.match(/--failures, --torn\/--torn-shape, --act-load and --progress-check need --engine firmware/);
    const fw = inas('faults', '--torn', sol, '--engine', 'firmware');
    expect(fw.status).to.equal(2);
    expect(fw.stderr).to.match(/--torn: tears the write a power failure hits; give --failures too/);
    const shape = inas('faults', '--torn-shape', 'stale', sol, '--engine', 'firmware');
    expect(shape.status).to.equal(2);
    expect(shape.stderr).to.match(/--torn-shape: tears the write a power failure hits; give --failures too/);
  });
  it('--engine firmware: torn checkpoints with vs without CRC-checked progress records, same JSON, replayable log', function () {
    this.timeout(180_000);
    const fsol = writeFixtureSolution(path.join(dir, 'fw'), makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 7, count: 8, weightBits: 16 }));
    const r = inas('faults', fsol, '--engine', 'firmware', '--target', 'state', '--count', '0', '--failures', 'random:150', '--torn',
      '--progress-check', 'both', '--runs', '120', '--seed', '3', '--json');
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { engine: string; variants: Record<string, any>[] };
    expect(out.engine).to.equal('firmware');
    const [prot, unprot] = out.variants;
    for (const v of [prot!, unprot!]) {
      expect(v['engine']).to.equal('firmware');
      expect(v['runs']).to.equal(120);
      expect(v['planned_runs']).to.equal(120);
      expect(Object.keys(v['accuracy'])).to.include.members(['clean', 'mean', 'ci95']);
      expect(Object.keys(v['sdc_rate'])).to.include.members(['mean', 'ci95']);
      expect(v).to.have.property('due_rate');
      expect(v).to.have.property('faults_logged');
    }
    expect(prot!['firmware']['progress_check']).to.equal('crc');
    expect(prot!['sdc_rate']['mean']).to.equal(0);
    expect(prot!['due_rate']).to.equal(0);
    expect(unprot!['sdc_rate']['mean'] + unprot!['due_rate']).to.be.greaterThan(0);
    const bad = inas('faults-replay', unprot!['log'], '--run', '0', '--json');
    expect(bad.status, bad.stderr).to.equal(0);
    expect(JSON.parse(bad.stdout).match).to.equal(true);
  });
  it('--engine firmware --target activations with a torn-write shape: SRAM faults logged, the shape in the log, replayable', function () {
    this.timeout(180_000);
    const fsol = writeFixtureSolution(path.join(dir, 'fwa'), makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 7, count: 8, weightBits: 16 }));
    const r = inas('faults', fsol, '--engine', 'firmware', '--target', 'activations', '--count', '1', '--bits', 'msb', '--failures', 'random:150',
      '--torn-shape', 'stale', '--runs', '40', '--seed', '2', '--json');
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as Record<string, any>;
    expect(out['engine']).to.equal('firmware');
    expect(out['firmware']['torn']).to.equal('stale');
    expect(out['faults_logged']).to.equal(40 * 8); // one transient fault per inference, 8 inferences per run
    expect(out['sdc_rate']['mean']).to.be.greaterThan(0);
    const rep = inas('faults-replay', out['log'], '--run', '7', '--json');
    expect(rep.status, rep.stderr).to.equal(0);
    const again = JSON.parse(rep.stdout) as { match: boolean; replayed: { faults: { target: string; when: string }[]; torn_writes: number } };
    expect(again.match).to.equal(true);
    expect(again.replayed.faults[0]!.target).to.equal('activations');
    expect(again.replayed.faults[0]!.when).to.match(/^read \d+ \d+ 0$/);
    expect(again.replayed.torn_writes).to.be.a('number');
    for (const spelling of [['--torn-shape', 'cut:0'], ['--torn', 'cut:0'], ['--torn=cut:0']]) {
      const badShape = inas('faults', fsol, '--engine', 'firmware', '--failures', 'random', ...spelling);
      expect(badShape.status, spelling.join(' ')).to.equal(2);
      expect(badShape.stderr).to.match(/--torn-shape: "cut:0" is not a torn-write shape/);
    }
  });
});
