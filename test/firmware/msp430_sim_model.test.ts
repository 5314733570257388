// A dumped model built with clang for msp430-sim runs in mspdebug's simulator (real 16-bit MSP430 code): the golden
// outputs bit for bit, also with power failures injected as `step N` + `reset` (memory intact); per-layer cycle
// counts next to the cost model; and the same dump as a full board ELF (-Werror) with its FR5994 size report.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpModel } from '../../src/dumper/index.ts';
import { buildFirmware, buildMsp430Dump, simulate, type MspdebugSimulationReport } from '../../src/firmware/index.ts';
import { predictedOnTimeCycles, readDumpLayers } from '../../src/firmware/msp430_simulate.ts';
import { referenceInference } from '../../src/quant/index.ts';
import { DESIGNS, POOL_DESIGNS, makeFixture, poolNetwork, referenceCosts, smallNetwork, type Fixture } from './fixtures.ts';
import { unwrap } from '../helpers.ts';

interface Model { name: string; dir: string; fixture: Fixture; designs: readonly string[] }

describe('firmware msp430-sim: dumped models in mspdebug sim', function () {
  this.timeout(180_000);
  const root = mkdtempSync(path.join(os.tmpdir(), 'inas-msp430-model-'));
  const models = new Map<string, Model>();
  const reference = new Map<string, MspdebugSimulationReport>();

  before(async () => {
    const specs = [
      { name: 'fc', family: 'fc' as const, designs: DESIGNS.fc, weightBits: 16 as const },
      { name: 'conv1d_int8', family: 'conv1d' as const, designs: DESIGNS.conv1d, weightBits: 8 as const },
      { name: 'conv2d_a', family: 'conv2d' as const, designs: DESIGNS.conv2d_a, weightBits: 16 as const },
    ];
    for (const s of specs) {
      const fixture = makeFixture(smallNetwork(s.family), s.designs, { seed: 11, count: 2, weightBits: s.weightBits });
      const dir = path.join(root, s.name);
      unwrap(dumpModel({ ...fixture, costs: referenceCosts() }, dir, { target: 'msp430-sim' }));
      models.set(s.name, { name: s.name, dir, fixture, designs: s.designs });
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const name of ['fc', 'conv1d_int8', 'conv2d_a']) {
    it(`${name}: no failures: every result equals the TS reference, with cycle counts per layer`, async () => {
      const m = models.get(name)!;
      const r = unwrap(await simulate(m.dir, { engine: 'mspdebug', failures: { kind: 'none' } })) as MspdebugSimulationReport;
      reference.set(name, r);
      expect(r.engine).to.equal('mspdebug');
      expect(r.mismatches).to.equal(0);
      expect(r.inferences).to.equal(2);
      expect(r.reboots).to.equal(0);
      expect(r.reexecuted_tiles).to.equal(0);
      expect(r.summary.tiles_executed).to.equal(2 * r.summary.tiles_per_inference);
      expect(r.summary.torn_writes).to.equal(0);
      expect(r.summary.commits).to.be.greaterThan(0);
      // The TS reference, independently of golden.bin.
      expect(r.checked_results).to.equal(2);
      expect(r.mspdebug.results.map((x) => x.inference)).to.deep.equal([0, 1]);
      for (const x of r.mspdebug.results) {
        const ref = referenceInference(m.fixture.qmodel, m.fixture.inputs[x.inference]!);
        expect(x.logits, `inference ${x.inference}`).to.deep.equal([...ref.logits]);
        expect(x.class).to.equal(ref.class);
      }
      // The layers read back from the dump's model.c are the network's, so the report costs what was dumped.
      const net = m.fixture.qmodel.net.layers;
      expect(unwrap(readDumpLayers(m.dir, net.map((l) => l.name)))).to.deep.equal(net);
      const onTime = predictedOnTimeCycles(net, m.designs);
      const perInference = r.mspdebug.reference.cycles_per_inference ?? 0;
      let layerSum = 0;
      r.layers.forEach((l, i) => {
        expect(l.cycles.simulated, l.name).to.be.greaterThan(0);
        layerSum += l.cycles.simulated ?? 0;
        expect(l.simulated_cycles).to.equal(l.cycles.simulated);
        expect(l.predicted_cycles, l.name).to.be.closeTo(onTime[i] ?? NaN, 1e-6);
        expect(l.ratio, l.name).to.be.closeTo((l.simulated_cycles ?? 0) / (l.predicted_cycles ?? 1), 1e-9);
        console.log(`      ${name} ${l.name.padEnd(11)} ${l.design.padEnd(20)} ${String(Math.round(l.simulated_cycles ?? 0)).padStart(8)} cycles simulated, cost model on-time ${String(Math.round(l.predicted_cycles ?? 0)).padStart(8)} cycles, ratio ${(l.ratio ?? 0).toFixed(2)}`);
        // Bounds (README "A dumped model on the MSP430"), simulated / cost-model on-time cycles. A layer the model
        // sees as MAC work (>= 100 000 predicted cycles): 0.25-2x (measured 0.30-1.30; below 1 because the model
        // charges LEA's 616 cycles per vector call, which short vectors — Tn = 1-2 in conv2d_a's CONV_0/CONV_1 —
        // make dominant, while the simulated multiplier loop costs a few dozen). A small layer is dominated by
        // per-commit work the model does not count (CRC32 of the progress record, byte-wise record writes, 32-bit
        // tile-index arithmetic, GAP's divisions: ~20-70 k cycles per commit): measured 3.5-16x, bound 0.5-32x.
        // Outside them the cycle accounting (Timer_A ticks between LS/LE, the model's n0/ngt0 on-time) has changed.
        const heavy = (l.predicted_cycles ?? 0) >= 100_000;
        expect(l.ratio, `${name} ${l.name} simulated/predicted`).to.be.within(heavy ? 0.25 : 0.5, heavy ? 2 : 32);
      });
      console.log(`      ${name}: ${Math.round(perInference)} cycles per inference (${r.mspdebug.reference.instructions} instructions for 2 inferences)`);
      expect(layerSum).to.be.lessThan(perInference);
    });
  }

  it('reads every layer kind (CONV, POOL, GAVGPOOL, FC) of a dump back from model.h as the network had it', () => {
    const net = poolNetwork();
    const dir = path.join(root, 'pool');
    unwrap(dumpModel({ ...makeFixture(net, POOL_DESIGNS, { seed: 2, count: 1 }), costs: referenceCosts() }, dir, { target: 'msp430-sim' }));
    expect(unwrap(readDumpLayers(dir, net.layers.map((l) => l.name)))).to.deep.equal(net.layers);
    expect(predictedOnTimeCycles(net.layers, POOL_DESIGNS).every((c) => c !== null && c > 0)).to.equal(true);
  });

  it('results are bit-exact when resets hit every N instructions and at random points (memory kept = power failure)', async () => {
    for (const name of ['fc', 'conv1d_int8']) {
      const m = models.get(name)!;
      const ref = reference.get(name);
      expect(ref, 'the no-failure test ran first').to.not.equal(undefined);
      if (ref === undefined) return;
      // Gaps longer than the longest layer (so longer than any batch): every power cycle can commit something.
      const perCycle = ref.mspdebug.reference.instructions / ref.mspdebug.reference.mclk_cycles;
      const longest = Math.max(...ref.layers.map((l) => l.cycles.simulated ?? 0)) * perCycle;
      const n = Math.round(1.3 * longest);
      const every = unwrap(await simulate(m.dir, { engine: 'mspdebug', failures: { kind: 'every', writes: n } })) as MspdebugSimulationReport;
      expect(every.mismatches, `${name} every:${n}`).to.equal(0);
      expect(every.inferences).to.equal(2);
      expect(every.no_progress).to.equal(false);
      expect(every.reboots, name).to.be.at.least(3);
      expect(every.summary.tiles_executed).to.be.greaterThan(every.summary.tiles_per_inference * 2); // work was redone
      expect(every.summary.cycles).to.be.greaterThan(ref.summary.cycles);
      const random = unwrap(await simulate(m.dir, { engine: 'mspdebug', failures: { kind: 'random', seed: 5, mean_points: n }, runs: 2 })) as MspdebugSimulationReport;
      expect(random.mismatches, `${name} random`).to.equal(0);
      expect(random.inferences).to.equal(4);
      expect(random.reboots).to.be.at.least(4);
      console.log(`      ${name}: every:${n} → ${every.reboots} resets, ${every.reexecuted_tiles} tiles re-executed; random:5:${n} x2 → ${random.reboots} resets, ${random.summary.torn_writes} torn writes; 0 mismatches`);
      if (name === 'fc') {
        // Gaps shorter than FC_0's single batch (S = 4 = all its tiles): the layer never commits under failures.
        const short = unwrap(await simulate(m.dir, { engine: 'mspdebug', failures: { kind: 'every', writes: Math.round(longest / 3) } })) as MspdebugSimulationReport;
        expect(short.no_progress).to.equal(true);
        expect(short.mismatches).to.equal(0);
      }
    }
  });

  it('builds the same dump for the MSP430FR5994 board (external SPI FRAM and internal FRAM NVM) with -Werror and reports sizes', async () => {
    const m = models.get('conv1d_int8')!;
    const ext = unwrap(await buildFirmware(m.dir, { target: 'msp430' }));
    expect(ext.toolchain).to.equal('clang');
    expect(ext.limits).to.deep.equal({ code_bytes: 49024, data_bytes: 4096 });
    const fram = unwrap(await buildMsp430Dump(m.dir, { target: 'msp430', nvm: 'fram', env: { ...process.env, DSPLIB_PATH: '' } }));
    expect(fram.nvm_backend).to.equal('fram');
    expect(fram.sizes.persistent_bytes).to.be.at.least(fram.nvm_bytes);
    expect(fram.sizes.fram_used_bytes).to.be.at.most(fram.sizes.fram_capacity_bytes);
    expect(fram.sizes.sram_used_bytes).to.be.at.most(4096);
    expect(fram.commands.some((c) => c.includes('-Werror') && c.some((a) => a.endsWith('hal_board.c')))).to.equal(true);
    // Rebuilding without changes reuses the ELF.
    const again = unwrap(await buildMsp430Dump(m.dir, { target: 'msp430', nvm: 'fram', env: { ...process.env, DSPLIB_PATH: '' } }));
    expect(again.cached).to.equal(true);
    expect(again.sizes).to.deep.equal(fram.sizes);
  });

  it('refuses failure modes the simulator cannot express, and host dumps, with one clear message', async () => {
    const m = models.get('fc')!;
    const r = await simulate(m.dir, { engine: 'mspdebug', failures: { kind: 'energy' } });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.issues[0]?.message).to.match(/by instruction count.*not energy/);
    const hostDir = path.join(root, 'fc_host');
    unwrap(dumpModel({ ...m.fixture, costs: referenceCosts() }, hostDir, { target: 'host' }));
    const b = await buildFirmware(hostDir, { target: 'msp430-sim' });
    expect(b.ok).to.equal(false);
    if (!b.ok) expect(b.issues[0]?.message).to.match(/made for target host.*--target msp430-sim/);
  });
});
