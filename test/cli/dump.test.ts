// inas dump: usage errors and refusals exit 2 with one clear message and write nothing.
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DESIGNS, makeFixture, smallNetwork, writeFixtureSolution } from '../firmware/fixtures.ts';
import { inas } from '../helpers.ts';

describe('cli: inas dump', function () {
  this.timeout(300_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'inas-cli-dump-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a design the runtime cannot execute (exit 2, layer and reason) and writes nothing', () => {
    const designs = ['2_4_2_1_reuse_I_S3', ...DESIGNS.conv2d_a.slice(1)];
    const sol = writeFixtureSolution(path.join(dir, 'sol'), makeFixture(smallNetwork('conv2d'), designs));
    const out = path.join(dir, 'out');
    const r = inas('dump', sol, '--out', out, '--target', 'msp430-sim');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('layers[0].design: layer CONV_0 design 2_4_2_1_reuse_I_S3: S 3 does not divide the 2 iterations its reuse_I batch runs along');
    expect(existsSync(out)).to.equal(false);
  });
});
