// Energy-driven power failures: the host simulator drains a capacitor by the cost model's energy per operation and
// recharges it through the harvester; the designs come from the real explorer (src/explorer) for the platform.
// Compared with the explorer's power_cycles per layer (see README "inas dump / build / simulate" for the numbers).
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpModel, firmwareCosts } from '../../src/dumper/index.ts';
import { simulate, type SimulationReport } from '../../src/firmware/index.ts';
import { exploreNetwork } from '../../src/explorer/index.ts';
import { createPlatform } from '../../src/platform/index.ts';
import { DEFAULT_SETTINGS, type InasSettings } from '../../src/settings/index.ts';
import { makeFixture, smallNetwork } from './fixtures.ts';
import { unwrap } from '../helpers.ts';

describe('firmware: energy-driven power failures vs the cost model', function () {
  this.timeout(600_000);
  const root = mkdtempSync(path.join(os.tmpdir(), 'inas-energy-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  // A 1 mF capacitor (302 µJ per cycle with the 0.55 margin): the explorer splits the first layers over several cycles.
  const settings: InasSettings = { ...DEFAULT_SETTINGS, platform: { ...DEFAULT_SETTINGS.platform, capacitance_f: 0.001, compat: 'corrected' } };
  let dir = '';
  let predicted: (number | null)[] = [];

  before(() => {
    const net = smallNetwork('conv2d');
    const platform = unwrap(createPlatform(settings.platform));
    const ex = exploreNetwork(net, platform, { latencyRequirementS: null });
    expect(ex.feasible, JSON.stringify(ex.layers.map((l) => l.reason))).to.equal(true);
    const f = makeFixture(net, ex.layers.map((l) => l.design), { seed: 3, count: 2, settings });
    const solution = {
      ...f.solution,
      layers: ex.layers.map((l) => ({ name: l.name, type: l.type as 'CONV', design: l.design, latency_s: l.latency_s, energy_per_cycle_j: l.energy_per_cycle_j, power_cycles: l.power_cycles, vm_bytes: l.vm_bytes })),
      predicted: { latency_s: ex.latency_s, energy_j: ex.energy_j, power_cycles: ex.power_cycles },
    };
    predicted = ex.layers.map((l) => l.power_cycles);
    dir = path.join(root, 'dump');
    const loadedCosts = unwrap(firmwareCosts({ path: 'x', solution, qmodel: f.qmodel, samples: null }));
    unwrap(dumpModel({ solution, qmodel: f.qmodel, inputs: f.inputs, costs: loadedCosts }, dir, { target: 'host' }));
  });

  it('batch policy (power down after every commit, as iNAS): each layer takes exactly the predicted power cycles', async () => {
    const r: SimulationReport = unwrap(await simulate(dir, { failures: { kind: 'energy' }, policy: 'batch', inferences: 2 }));
    expect(r.mismatches).to.equal(0);
    expect(r.inferences).to.equal(2);
    // No brown-out: every batch fits in one charge of the capacitor, as the explorer's C1 promises.
    expect(r.summary.power_failures).to.equal(0);
    expect(r.summary.shutdowns).to.be.greaterThan(0);
    expect(r.layers.map((l) => l.power_cycles.simulated)).to.deep.equal(predicted);
    expect(r.reexecuted_tiles).to.equal(0);
  });

  it('greedy policy (run until Voff): never more cycles than predicted, outputs still exact', async () => {
    const r = unwrap(await simulate(dir, { failures: { kind: 'energy' }, policy: 'greedy', inferences: 2 }));
    expect(r.mismatches).to.equal(0);
    expect(r.inferences).to.equal(2);
    expect(r.summary.power_failures).to.be.greaterThan(0);
    r.layers.forEach((l, i) => expect(l.power_cycles.simulated, l.name).to.be.at.most(predicted[i]!));
    expect(r.simulated_latency_s).to.be.greaterThan(0);
    expect(r.predicted_latency_s).to.be.greaterThan(0);
  });

  it('a power trace drives the recharge (no harvest in the trace gaps means longer outages)', async () => {
    const strong = path.join(root, 'strong.txt'), weak = path.join(root, 'weak.txt');
    writeFileSync(strong, '0 0.01\n1 0.01\n');
    writeFileSync(weak, '0 0.001\n0.5 0\n1 0.001\n');
    const a = unwrap(await simulate(dir, { failures: { kind: 'energy' }, trace: strong, inferences: 1 }));
    const b = unwrap(await simulate(dir, { failures: { kind: 'energy' }, trace: weak, inferences: 1 }));
    expect(a.mismatches + b.mismatches).to.equal(0);
    expect(b.simulated_latency_s!).to.be.greaterThan(a.simulated_latency_s!);
  });
});
