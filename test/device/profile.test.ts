// profile over a real pty against proto_device (checksum network, checkpoints every 2 layers = power cycles).
import { expect } from 'chai';
import {
  createDeviceLink, flashDump, loadProfileTarget, openSerialTransport, runProfile, calibrateProfile, serveVirtualBoard, type VirtualBoard,
} from '../../src/device/index.ts';
import { buildProtoProgram, tempDir, writeProtoDump } from './helpers.ts';

describe('device/profile (socat pty + proto_device)', function () {
  this.timeout(60000);
  let b: VirtualBoard;
  let dump: string;
  const offTimeS = 0.05;

  before(async () => {
    const r = await serveVirtualBoard(null, { program: buildProtoProgram('proto_device'), programArgs: ['--fail-every-layers', '2'], offTimeS });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    b = r.value;
    dump = tempDir('pdump');
    writeProtoDump(dump, { imageBytes: 2048, predictedLatencyS: 0.02 });
    const f = await flashDump(dump, { port: b.port });
    if (!f.ok) throw new Error(JSON.stringify(f.issues));
  });
  after(async () => b?.stop());

  const profile = async (target: string, inferences: number, timeScale = 1) => {
    const t = loadProfileTarget(target);
    if (!t.ok) throw new Error(JSON.stringify(t.issues));
    const tr = await openSerialTransport(b.port);
    if (!tr.ok) throw new Error(JSON.stringify(tr.issues));
    const link = createDeviceLink(tr.value);
    const r = await runProfile(link, { inferences, layers: t.value.layers, predictedLatencyS: t.value.predictedLatencyS, golden: t.value.golden, expectDigest: t.value.digest, timeScale });
    await link.close();
    return { r, t: t.value };
  };

  it('runs N inferences, matches the golden vectors, measures recharge between OFF and BOOT', async () => {
    const { r, t } = await profile(dump, 3);
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).to.equal(true);
    if (!r.ok) return;
    expect(r.value.inferences).to.equal(3);
    expect(r.value.outputs_match).to.equal(true);
    // One checkpoint after layer 1 of each inference → one reboot per inference.
    expect(r.value.reboots).to.equal(3);
    expect(r.value.recharge_s.count).to.equal(3);
    expect(r.value.recharge_s.mean!).to.be.at.least(offTimeS * 0.9);
    // The recharge is charged to the layer that resumes after it (layer 2).
    expect(r.value.layers[2]!.recharge_s!).to.be.at.least(offTimeS * 0.9);
    expect(r.value.layers[0]!.recharge_s).to.equal(0);
    for (const [i, l] of r.value.layers.entries()) {
      expect(l.power_cycles.measured).to.equal(1);
      expect(l.latency_s.predicted).to.equal(t.layers[i]!.latency_s);
      expect(l.latency_s.measured!).to.be.greaterThan(0);
      expect(l.latency_s.error_pct).to.be.a('number');
    }
    const sum = r.value.layers.reduce((s, l) => s + l.latency_s.measured!, 0);
    expect(r.value.latency_s.measured).to.be.closeTo(sum, 1e-12);
  });

  it('unscales recharge times of a virtual board by its time scale', async () => {
    const { r } = await profile(dump, 1, 0.01);
    expect(r.ok && r.value.recharge_s.mean!).to.be.at.least((offTimeS * 0.9) / 0.01);
  });

  it('reports outputs_match false with the mismatching inferences when the golden vectors differ', async () => {
    const other = tempDir('pdump-other');
    writeProtoDump(other, { imageBytes: 2000 }); // a different image → different golden logits
    const { r } = await profile(other, 2);
    expect(r.ok && r.value.outputs_match).to.equal(false);
    expect(r.ok && r.value.mismatches.length).to.equal(2);
  });

  it('refuses to profile firmware whose settings digest differs from the solution', async () => {
    const other = tempDir('pdump-digest');
    writeProtoDump(other, { imageBytes: 2048, digest: 'f'.repeat(64) });
    const { r } = await profile(other, 1);
    expect(!r.ok && r.issues[0]?.code).to.equal('mismatch');
  });

  it('calibration recovers the harvester resistance from recharge times generated with a known one', () => {
    // Synthetic report: the recharge model is linear in R, so measured = R_true · k(E) must give back R_true.
    const k = (e: number) => 1e-3 * (1 + e * 1e3);
    const rTrue = 42;
    const layers = [{ name: 'a', latency_s: 1, power_cycles: 3, energy_per_cycle_j: 1e-4 }, { name: 'b', latency_s: 2, power_cycles: 5, energy_per_cycle_j: 2e-4 }];
    const measured = layers.map((l) => ({
      name: l.name, on_time_s: 0.5, recharge_s: rTrue * k(l.energy_per_cycle_j) * (l.power_cycles - 1),
      latency_s: { measured: 0, predicted: l.latency_s, error_pct: 0 }, power_cycles: { measured: l.power_cycles, predicted: l.power_cycles, error_pct: 0 },
    }));
    const report = { layers: measured } as unknown as Parameters<typeof calibrateProfile>[0];
    const fit = calibrateProfile(report, layers, k, () => 0);
    expect(fit.harvester_resistance_ohm!).to.be.closeTo(rTrue, 1e-9);
    expect(fit.cycle_scale!).to.be.closeTo(1 / 3, 1e-12); // on-time 0.5+0.5 vs predicted 1+2
  });
});
