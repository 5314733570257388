// `inas explore` run as a real child process: JSON shape and values, several architectures, infeasible output
// (exit 3), and bad input (exit 2 with the documented messages). Ten spawns: CLI start-up dominates the time.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APPENDIX_A } from '../explorer/appendix_a.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'inas-explore-'));
function file(name: string, value: unknown): string {
  const p = path.join(tmp, name);
  writeFileSync(p, JSON.stringify(value));
  return p;
}

function inas(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/inas.mjs', 'explore', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TS3 = APPENDIX_A.find((g) => g.dataset === 'cifar' && g.capacitance_f === 0.01 && g.ts === 'ts3')!;

describe('cli: inas explore', () => {
  it('--json for one arch: the published cifar 10 mF ts3 designs, with units in flags', () => {
    const r = inas(['--settings', 'settings/cifar10.json', '--arch', TS3.arch.join(','), '--ccap', '10 mF', '--rehm', '22ohm', '--json']);
    expect(r.status, r.stderr).to.equal(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { layers: Record<string, unknown>[] };
    expect(Object.keys(j)).to.deep.equal(['feasible', 'latency_s', 'candidates', 'elapsed_ms', 'layers']);
    expect(j['feasible']).to.equal(true);
    expect(j['candidates']).to.equal(28529);
    expect(j['elapsed_ms']).to.be.a('number').and.above(0);
    expect(Math.abs((j['latency_s'] as number) - TS3.latency_s) / TS3.latency_s).to.be.below(1e-9);
    expect(j.layers.map((l) => l['design'])).to.deep.equal([...TS3.designs]);
    expect(Object.keys(j.layers[0]!)).to.deep.equal(['name', 'type', 'feasible', 'design', 'latency_s', 'power_cycles', 'energy_per_cycle_j', 'vm_bytes']);
    expect(j.layers[1]).to.include({ name: 'CONV_1', type: 'CONV', power_cycles: 26, vm_bytes: 1800 });
    // The compat mode is stated with --json too, on stderr (stdout is only the JSON contract).
    expect(r.stderr).to.equal('inas: note: tecs21 constants (original iNAS, incl. its latency-constant bug) until a measured calibration exists\n');
  });

  it('--json for several archs gives an array; infeasible ones exit 3 with the reason per layer', () => {
    // KWS at 1 mF with margin 0.55: no FC_0 design fits one power cycle (the published runs needed margin 0.69).
    const r = inas(['--settings', 'settings/kws.json', '--arch', '48,128,128,96', '--arch', '64,96,96,48', '--ccap', '1mF', '--rehm', '62', '--json']);
    expect(r.status).to.equal(3);
    const j = JSON.parse(r.stdout) as { feasible: boolean; latency_s: number | null; layers: { feasible: boolean; design: string | null; reason?: string }[] }[];
    expect(j).to.have.length(2);
    for (const a of j) {
      expect(a.feasible).to.equal(false);
      expect(a.latency_s).to.equal(null);
      expect(a.layers[0]!.design).to.equal(null);
      expect(a.layers[0]!.reason).to.match(/^C1: none of the \d+ designs that fit in VM fits one power cycle's 3\.025e-4 J budget; the least energy per cycle is 3\.75\de-4 J \(1_1_1_1_reuse_O_S1, 124 % of the budget/);
      expect(a.layers.slice(1).every((l) => l.feasible && l.reason === undefined)).to.equal(true);
    }
    expect(r.stderr).to.match(/arch 48,128,128,96: layers\[0\] \(FC_0\): C1: /);
    expect(r.stderr.split('\n')[0]).to.equal('inas: note: tecs21 constants (original iNAS, incl. its latency-constant bug) until a measured calibration exists');
  });

  it('human output: one row per layer and the active compat mode', () => {
    const r = inas(['--settings', 'settings/kws.json', '--arch', '96,128,48,48', '--ccap', '0.01', '--rehm', '35', '--latreq', '10 s']);
    expect(r.status).to.equal(3); // 16.06 s > 10 s
    expect(r.stdout).to.include('tecs21 constants (original iNAS, incl. its latency-constant bug) until a measured calibration exists');
    expect(r.stdout).to.match(/FC_END +1_1_12_48_reuse_O_S1 /);
    expect(r.stdout).to.match(/exceeds the requirement of 10 s \(C2\)/);
  });

  it('bad input exits 2 with the documented message: kernel larger than input, negative capacitance', () => {
    const k = inas(['--settings', 'settings/cifar10.json', '--arch', '9,4,9,4,9,4,9,4,9,4']);
    expect(k.status).to.equal(2);
    expect(k.stderr).to.equal('inas: --arch[6]: layer CONV_3: kernel 9 is not smaller than its 8x8 input (valid padding needs kernel < input)\n');
    expect(k.stdout).to.equal('');
    const c = inas(['--settings', 'settings/cifar10.json', '--arch', TS3.arch.join(','), '--ccap', '-1']);
    expect(c.status).to.equal(2);
    expect(c.stderr).to.equal('inas: --ccap: must be > 0 (got -1)\n'); // the flag is wrong, not the file
    expect(c.stdout).to.equal('');
  });

  it('a bad enumeration flag names the flag and the allowed values; a bad file value still names the file and pointer', () => {
    const e = inas(['--settings', 'settings/cifar10.json', '--arch', TS3.arch.join(','), '--power', 'foo', '--compat', 'foo', '--profile', 'foo']);
    expect(e.status).to.equal(2);
    expect(e.stderr).to.equal([
      'inas: --power: must be one of "int", "cont" (got "foo")',
      'inas: --compat: must be one of "tecs21", "corrected" (got "foo")',
      'inas: --profile: must be one of "msp430fr5994-extfram", "msp430fr5994-fram" (got "foo")',
      '',
    ].join('\n'));
    const neg = file('x.json', { platform: { capacitance_f: -1 } });
    const f = inas(['--settings', neg, '--arch', TS3.arch.join(','), '--rehm', '22']);
    expect(f.status).to.equal(2);
    expect(f.stderr).to.equal(`inas: ${neg}: /platform/capacitance_f: must be > 0 (got -1)\n`);
  });

  it('an unknown network family or original MODEL_FN_TYPE exits 2 naming the file, the pointer, the allowed values and the value', () => {
    const fam = file('family.json', { search_space: { family: 'lstm' } });
    const a = inas(['--settings', fam, '--arch', TS3.arch.join(',')]);
    expect(a.status).to.equal(2);
    expect(a.stderr).to.equal(`inas: ${fam}: /search_space/family: must be one of "conv2d", "conv1d", "fc" (got "lstm")\n`);
    const fn = file('legacy.json', { PLATFORM_SETTINGS: { POW_TYPE: 'INT' }, NAS_SETTINGS: { MODEL_FN_TYPE: 'MODEL_FN_LSTM' } });
    const b = inas(['--settings', fn, '--arch', TS3.arch.join(',')]);
    expect(b.status).to.equal(2);
    expect(b.stderr).to.equal(`inas: ${fn}: /NAS_SETTINGS/MODEL_FN_TYPE: must be one of "MODEL_FN_CONV2D", "MODEL_FN_CONV1D", "MODEL_FN_FC" (got "MODEL_FN_LSTM")\n`);
  });

  it('a bad value in an original iNAS file names the original key', () => {
    const f = file('legacy_ccap.json', { PLATFORM_SETTINGS: { POW_TYPE: 'INT', CCAP: -1 } });
    const r = inas(['--settings', f, '--arch', TS3.arch.join(',')]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal(`inas: ${f}: /PLATFORM_SETTINGS/CCAP: must be > 0 (got -1)\n`);
  });
});
