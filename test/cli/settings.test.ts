import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inas } from '../helpers.ts';

describe('cli: inas settings / --help / --version', () => {
  it('prints version and help', () => {
    const v = inas('--version');
    expect(v.status).to.equal(0);
    expect(v.stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
    const h = inas('--help');
    expect(h.status).to.equal(0);
    expect(h.stdout).to.match(/Usage: inas/);
  });
  it('prints resolved settings as JSON with flag overrides in units', () => {
    const r = inas('settings', 'settings/cifar10.json', '--ccap', '470uF', '--json');
    expect(r.status).to.equal(0);
    const out = JSON.parse(r.stdout) as { settings: { platform: { capacitance_f: number } }; digest: string };
    expect(out.settings.platform.capacitance_f).to.be.closeTo(4.7e-4, 1e-12);
    expect(out.digest).to.match(/^[0-9a-f]{64}$/);
  });
  it('exits 2 with one clear line for bad settings, no stack trace', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inas-cli-'));
    const f = path.join(dir, 'x.json');
    writeFileSync(f, JSON.stringify({ platform: { capacitance_f: -1 } }));
    const r = inas('settings', f);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim()).to.equal(`inas: ${f}: /platform/capacitance_f: must be > 0 (got -1)`);
    const flag = inas('settings', 'settings/mnist.json', '--ccap', 'much');
    expect(flag.status).to.equal(2);
    expect(flag.stderr).to.match(/--ccap: expected a quantity in farads such as "470 uF" \(got "much"\)/);
  });
  it('a bad settings flag names the flag, not the file: schema bounds and enumerations', () => {
    const r = inas('settings', 'settings/mnist.json', '--ccap', '-1', '--trials', '0');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal('inas: --ccap: must be > 0 (got -1)\ninas: --trials: must be >= 1 (got 0)\n');
    const e = inas('settings', 'settings/mnist.json', '--controller', 'foo', '--evaluator', 'foo', '--reward', 'foo', '--backend', 'foo');
    expect(e.status).to.equal(2);
    expect(e.stderr).to.equal([
      'inas: --controller: must be one of "reinforce", "evolution", "random" (got "foo")',
      'inas: --evaluator: must be one of "train", "supernet" (got "foo")',
      'inas: --reward: must be one of "tecs21", "corrected" (got "foo")',
      'inas: --backend: must be one of "auto", "tensorflow", "wasm", "cpu" (got "foo")',
      '',
    ].join('\n'));
    expect(e.stdout).to.equal('');
  });
});
