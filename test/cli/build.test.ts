// inas build: the MSP430 event flavour and NVM backend flags reach the build, and bad values exit 2.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dumpModel } from '../../src/dumper/index.ts';
import { DESIGNS, makeFixture, referenceCosts, smallNetwork } from '../firmware/fixtures.ts';
import { bigFcFixture } from '../firmware/big_models.ts';
import { inas } from '../helpers.ts';

describe('cli: inas build', function () {
  this.timeout(300_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'inas-cli-build-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const dump = path.join(dir, 'dump');

  before(() => {
    const fixture = makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 3, count: 2, weightBits: 16 });
    const d = dumpModel({ ...fixture, costs: referenceCosts() }, dump, { target: 'msp430-sim' });
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
  });

  it('--events protocol builds the simulator firmware that speaks the serial protocol; the default does not', () => {
    const proto = inas('build', dump, '--target', 'msp430-sim', '--events', 'protocol', '--json');
    expect(proto.status, proto.stderr).to.equal(0);
    const p = JSON.parse(proto.stdout) as { protocol: boolean; target: string; binary: string };
    expect(p.target).to.equal('msp430-sim');
    expect(p.protocol).to.equal(true);
    const text = inas('build', dump, '--target', 'msp430-sim', '--json');
    expect(text.status, text.stderr).to.equal(0);
    const t = JSON.parse(text.stdout) as { protocol: boolean; binary: string };
    expect(t.protocol).to.equal(false);
    expect(t.binary).to.not.equal(p.binary);
  });

  it('a model too large for the lower FRAM fails the link with exit 3 and one line "FRAM: needs N B, has 49024 B (over by K B)"', () => {
    // The 250→64→48→3 FC model dumps for the board (weights on the SPI FRAM); with --nvm fram its NVM array
    // (38 KB of weights in it) moves into the lower FRAM next to the code.
    const big = path.join(dir, 'big');
    const d = dumpModel({ ...bigFcFixture(), costs: referenceCosts() }, big, { target: 'msp430' });
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
    const b = inas('build', big, '--target', 'msp430', '--nvm', 'fram');
    expect(b.status, b.stderr).to.equal(3);
    const lines = b.stderr.trim().split('\n');
    expect(lines, b.stderr).to.have.length(1);
    const m = /FRAM: needs (\d+) B, has 49024 B \(over by (\d+) B\)/.exec(lines[0] ?? '');
    expect(m, lines[0]).to.not.equal(null);
    expect(Number(m?.[1]) - 49024).to.equal(Number(m?.[2]));
    // The NVM array alone (~40 KB) plus ~36 KB of protocol firmware code.
    expect(Number(m?.[1])).to.be.greaterThan(d.value.nvm.size_bytes + 30000);
  });

  it('rejects --events and --nvm values it does not know, or on the wrong target (exit 2, flag named)', () => {
    const a = inas('build', dump, '--target', 'msp430', '--events', 'binary');
    expect(a.status).to.equal(2);
    expect(a.stderr).to.include('--events binary: expected protocol or text');
    const b = inas('build', dump, '--target', 'host', '--nvm', 'fram');
    expect(b.status).to.equal(2);
    expect(b.stderr).to.include('--nvm fram: expected extfram or fram, and only with --target msp430');
  });
});
