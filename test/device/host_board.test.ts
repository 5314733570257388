// The real virtual board: the host firmware (runtime + host HAL + firmware/proto, `make -C firmware board`) of a
// dumped model behind a socat pty, with power failures from the energy model: flash → load → profile, and the
// outputs bit-exact with the golden vectors of the TS reference.
import { expect } from 'chai';
import { dumpModel } from '../../src/dumper/index.ts';
import {
  createDeviceLink, flashDump, loadProfileTarget, openSerialTransport, runProfile, serveVirtualBoard, type VirtualBoard,
} from '../../src/device/index.ts';
import { DESIGNS, makeFixture, referenceCosts, smallNetwork } from '../firmware/fixtures.ts';
import { tempDir } from './helpers.ts';

describe('device/virtual board running the host firmware', function () {
  this.timeout(120000);
  let b: VirtualBoard | null = null;
  after(async () => b?.stop());

  it('flash → load → profile over the pty: outputs bit-exact, power cycles measured', async () => {
    const fixture = makeFixture(smallNetwork('conv2d'), DESIGNS.conv2d_a, { seed: 7, count: 3, weightBits: 16 });
    const dump = tempDir('hb-dump');
    const d = dumpModel({ ...fixture, costs: referenceCosts() }, dump, { target: 'host' });
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
    const timeScale = 0.001;
    const s = await serveVirtualBoard(dump, { offTimeS: 0.01, timeScale, firmwareArgs: ['--failures', 'energy', '--time-scale', String(timeScale)] });
    expect(s.ok, JSON.stringify(!s.ok && s.issues)).to.equal(true);
    if (!s.ok) return;
    b = s.value;
    const f = await flashDump(dump, { port: b.port });
    expect(f.ok, JSON.stringify(!f.ok && f.issues)).to.equal(true);
    expect(f.ok && f.value.load.action).to.equal('uploaded');
    expect(f.ok && f.value.digest_matches).to.equal(true);
    const t = loadProfileTarget(dump);
    if (!t.ok) throw new Error(JSON.stringify(t.issues));
    const tr = await openSerialTransport(b.port);
    if (!tr.ok) throw new Error(JSON.stringify(tr.issues));
    const link = createDeviceLink(tr.value);
    const r = await runProfile(link, { inferences: 3, layers: t.value.layers, predictedLatencyS: t.value.predictedLatencyS, golden: t.value.golden, expectDigest: t.value.digest, timeScale });
    await link.close();
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).to.equal(true);
    if (!r.ok) return;
    expect(r.value.inferences).to.equal(3);
    expect(r.value.outputs_match).to.equal(true);
    expect(r.value.layers).to.have.length(t.value.layers.length);
    for (const l of r.value.layers) {
      expect(l.power_cycles.measured!).to.be.at.least(1);
      expect(l.on_time_s!).to.be.greaterThan(0);
    }
    expect(r.value.board.tick_hz).to.equal(16000000);
    // TOTAL carries the engine's NVM writes (re-executions after the energy model's power failures included).
    expect(r.value.nvm_writes.samples).to.have.length(3);
    for (const w of r.value.nvm_writes.samples) expect(w).to.be.greaterThan(0);
  });
});
