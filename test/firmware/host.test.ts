// The host firmware against the TS reference (src/quant): bit-exact with no failures, under >= 1000 random failure
// schedules (torn writes included), and with a failure at every NVM write of small models, for every loop order
// and several S. Real compiler (gcc, ASan + UBSan), real binary, real files.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpModel } from '../../src/dumper/index.ts';
import { FIRMWARE_ROOT, buildFirmware, runHost, type HostRunReport, type HostSummary } from '../../src/firmware/index.ts';
import { hostObjectCacheDir } from '../../src/firmware/host_build.ts';
import { referenceInference } from '../../src/quant/index.ts';
import { DESIGNS, POOL_DESIGNS, makeFixture, poolNetwork, referenceCosts, smallNetwork, type Fixture } from './fixtures.ts';
import type { Network } from '../../src/network/index.ts';

interface Built { fixture: Fixture; binary: string; dir: string }

const MODELS: { name: string; net: () => Network; designs: readonly string[]; weightBits: 16 | 8; pool?: 'max' | 'avg' }[] = [
  { name: 'conv2d_a', net: () => smallNetwork('conv2d'), designs: DESIGNS.conv2d_a, weightBits: 16 },
  { name: 'conv2d_b', net: () => smallNetwork('conv2d'), designs: DESIGNS.conv2d_b, weightBits: 16 },
  { name: 'conv1d', net: () => smallNetwork('conv1d'), designs: DESIGNS.conv1d, weightBits: 16 },
  { name: 'fc_int8', net: () => smallNetwork('fc'), designs: DESIGNS.fc, weightBits: 8 },
  { name: 'maxpool', net: poolNetwork, designs: POOL_DESIGNS, weightBits: 16, pool: 'max' },
  { name: 'avgpool', net: poolNetwork, designs: POOL_DESIGNS, weightBits: 16, pool: 'avg' },
];
/** The models the 1000 random schedules are spread over (every model, pooling included). */
const RANDOM_MODELS = MODELS.map((m) => m.name);

/** Summary fields of main_host.c beyond HostSummary (src/firmware/run.ts). */
type Summary = HostSummary & {
  /** NVM writes of the provisioning done with counting off (every run but exhaustive ones provisions so). */
  readonly provision_writes: number;
  /** Exhaustive mode: NVM writes of the failure-free reference inference, provisioning included. */
  readonly reference_writes: number;
};

function ensure(r: { ok: true; value: HostRunReport } | { ok: false; issues: readonly { message: string }[] }): HostRunReport {
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.value;
}

describe('firmware host build (power-failure simulator)', function () {
  this.timeout(600_000);
  const root = mkdtempSync(path.join(os.tmpdir(), 'inas-fw-'));
  const built = new Map<string, Built>();

  before(async () => {
    for (const m of MODELS) {
      const fixture = makeFixture(m.net(), m.designs, { seed: 7, count: 3, weightBits: m.weightBits, ...(m.pool ? { pool: m.pool } : {}) });
      const dir = path.join(root, m.name);
      const d = dumpModel({ ...fixture, costs: referenceCosts() }, dir, { target: 'host' });
      if (!d.ok) throw new Error(d.issues.map((i) => i.message).join('\n'));
      const b = await buildFirmware(dir, { target: 'host', sanitize: true });
      if (!b.ok) throw new Error(b.issues.map((i) => i.message).join('\n'));
      built.set(m.name, { fixture, binary: b.value.binary, dir });
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const m of MODELS) {
    it(`${m.name}: no failures: every inference equals the TS reference (C check and TS check)`, async () => {
      const b = built.get(m.name)!;
      const rep = ensure(await runHost(b.binary, { failures: { kind: 'none' }, inferences: 6 }));
      expect(rep.exit_code).to.equal(0);
      expect(rep.summary.mismatches).to.equal(0);
      expect(rep.summary.results).to.equal(6);
      expect(rep.summary.reboots).to.equal(0);
      expect(rep.summary.tiles_executed).to.equal(6 * rep.summary.tiles_per_inference);
      expect(rep.results.map((r) => r.inference)).to.deep.equal([0, 1, 2, 3, 4, 5]);
      for (const r of rep.results) {
        const ref = referenceInference(b.fixture.qmodel, b.fixture.inputs[r.inference % 3]!);
        expect(r.logits, `inference ${r.inference}`).to.deep.equal([...ref.logits]);
        expect(r.class).to.equal(ref.class);
      }
    });
  }

  it('random failure schedules (1000 in all, torn writes included) never change an output', async () => {
    let schedules = 0, reboots = 0, torn = 0;
    for (const [i, name] of RANDOM_MODELS.entries()) {
      const m = { name };
      const b = built.get(name)!;
      const runs = Math.ceil(1000 / RANDOM_MODELS.length);
      const rep = ensure(await runHost(b.binary, { failures: { kind: 'random', seed: 1000 * (i + 1), mean_points: 150 }, runs, torn: true, events: false }));
      expect(rep.summary.mismatches, m.name).to.equal(0);
      expect(rep.summary.results, m.name).to.equal(runs);
      expect(rep.summary.no_progress).to.equal(false);
      expect(rep.summary.reboots, m.name).to.be.greaterThan(runs);
      expect(rep.summary.tiles_executed).to.be.greaterThan(runs * rep.summary.tiles_per_inference); // work was redone
      schedules += rep.summary.runs;
      reboots += rep.summary.reboots;
      torn += rep.summary.torn_writes;
    }
    expect(schedules).to.be.at.least(1000);
    expect(reboots).to.be.greaterThan(2000);
    expect(torn).to.be.greaterThan(100);
  });

  for (const m of MODELS) {
    it(`${m.name}: a failure at every NVM write (clean and torn) of one inference from a fresh image`, async () => {
      const b = built.get(m.name)!;
      // An independent failure-free inference from a fresh image: its NVM writes, provisioning (done quietly, as
      // flashing) included, are the write points the sweep must hit.
      const ref = ensure(await runHost(b.binary, { failures: { kind: 'none' }, events: false }));
      const refSummary = ref.summary as Summary;
      expect(ref.exit_code).to.equal(0);
      expect(refSummary.results).to.equal(1);
      expect(refSummary.provision_writes, 'provisioning writes').to.be.greaterThan(0);
      const writes = refSummary.nvm_writes + refSummary.provision_writes;
      const rep = ensure(await runHost(b.binary, { failures: { kind: 'exhaustive' }, torn: true, events: false }));
      const sum = rep.summary as Summary;
      expect(rep.exit_code).to.equal(0);
      expect(sum.mismatches).to.equal(0);
      // The sweep's own reference run counts the same writes (it provisions with counting on).
      expect(sum.reference_writes, 'reference writes').to.equal(writes);
      // Two failing runs (a clean cut before the write, the write torn in the middle) at every one of those writes,
      // plus the reference run; each failing run fails exactly once, reboots once and still finishes its inference.
      expect(sum.failure_points, 'failure points = 2 x NVM writes').to.equal(2 * writes);
      expect(sum.runs).to.equal(1 + 2 * writes);
      expect(sum.results).to.equal(sum.runs);
      expect(sum.power_failures).to.equal(2 * writes);
      expect(sum.reboots).to.equal(2 * writes);
      expect(sum.provision_writes, 'the sweep provisions with counting on').to.equal(0);
      expect(sum.torn_writes, 'torn variants that tore').to.be.greaterThan(0).and.at.most(writes);
    });
  }

  it('caches objects in the user cache folder ($INAS_CACHE_DIR), not in the package; a temporary folder when that is not writable', async () => {
    const b = built.get('fc_int8')!;
    const cache = path.join(root, 'cache');
    const r = await buildFirmware(b.dir, { target: 'host', buildDir: path.join(root, 'fc-cached'), env: { ...process.env, INAS_CACHE_DIR: cache } });
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const objects = r.value.command.filter((a) => a.endsWith('.o'));
    expect(objects.length).to.be.greaterThan(10);
    for (const o of objects) {
      expect(path.dirname(o)).to.equal(path.join(cache, 'firmware-obj', 'host-gcc'));
      expect(o.startsWith(FIRMWARE_ROOT + path.sep), o).to.equal(false);
      expect(existsSync(o), o).to.equal(true);
    }
    expect(readdirSync(path.dirname(objects[0]!)).filter((n) => n.includes('.tmp'))).to.deep.equal([]);
    const again = await buildFirmware(b.dir, { target: 'host', buildDir: path.join(root, 'fc-cached'), env: { ...process.env, INAS_CACHE_DIR: cache } });
    expect(again.ok && again.value.cached).to.equal(true);
    const rep = ensure(await runHost(r.value.binary, { failures: { kind: 'none' }, inferences: 2 }));
    expect([rep.exit_code, rep.summary.mismatches, rep.summary.results]).to.deep.equal([0, 0, 2]);
    // XDG_CACHE_HOME/inas when INAS_CACHE_DIR is unset.
    const xdg = path.join(root, 'xdg');
    const noInas: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: xdg };
    delete noInas['INAS_CACHE_DIR'];
    expect(hostObjectCacheDir('host-gcc', noInas)).to.equal(path.join(xdg, 'inas', 'firmware-obj', 'host-gcc'));
    // A cache folder that cannot be created (its parent is a file): the objects go to a temporary folder.
    const file = path.join(root, 'not-a-dir');
    writeFileSync(file, '');
    const fb = await buildFirmware(b.dir, { target: 'host', buildDir: path.join(root, 'fc-fallback'), env: { ...process.env, INAS_CACHE_DIR: path.join(file, 'cache') } });
    if (!fb.ok) throw new Error(fb.issues.map((i) => i.message).join('\n'));
    for (const o of fb.value.command.filter((a) => a.endsWith('.o'))) {
      expect(o.startsWith(path.join(os.tmpdir(), 'inas-cache-')), o).to.equal(true);
    }
    expect(ensure(await runHost(fb.value.binary, { failures: { kind: 'none' } })).summary.mismatches).to.equal(0);
  });

  it('reports a mismatch when the firmware disagrees with the golden vectors (the check is real)', async () => {
    const b = built.get('conv2d_a')!;
    const dir = path.join(root, 'tampered');
    const d = dumpModel({ ...b.fixture, costs: referenceCosts() }, dir, { target: 'host' });
    expect(d.ok).to.equal(true);
    // Change one expected logit in golden.c (the C-side oracle) and rebuild.
    const file = path.join(dir, 'golden.c');
    const text = readFileSync(file, 'utf8');
    const marker = 'inas_golden_logits[INAS_GOLDEN_COUNT * INAS_GOLDEN_CLASSES] = {\n    ';
    const at = text.indexOf(marker) + marker.length;
    const end = text.indexOf(',', at);
    writeFileSync(file, text.slice(0, at) + String(Number(text.slice(at, end)) + 1) + text.slice(end));
    const bt = await buildFirmware(dir, { target: 'host', sanitize: true });
    expect(bt.ok).to.equal(true);
    const rep = ensure(await runHost(bt.ok ? bt.value.binary : '', { failures: { kind: 'none' }, inferences: 3 }));
    expect(rep.summary.mismatches).to.equal(1);
    expect(rep.exit_code).to.equal(4);
  });

  it('detects a schedule that never lets a batch commit (failure at every NVM write)', async () => {
    const b = built.get('conv2d_a')!;
    const rep = ensure(await runHost(b.binary, { failures: { kind: 'every', writes: 1 }, maxStall: 50, events: false }));
    expect(rep.summary.no_progress).to.equal(true);
    expect(rep.exit_code).to.equal(3);
    expect(rep.summary.results).to.equal(0);
  });

  it('keeps progress across processes in an NVM file (a fresh process per power cycle)', async () => {
    const b = built.get('conv1d')!;
    const nvm = path.join(root, 'conv1d.nvm');
    // Every 40th NVM write cuts the power; each process resumes from the NVM file the previous one left.
    const all: number[][] = [];
    let boots = 0;
    for (let i = 0; i < 400 && all.length < 2; i++) {
      const rep = ensure(await runHost(b.binary, { failures: { kind: 'every', writes: 40 }, nvm, inferences: 2, exitOnFailure: true }));
      boots += rep.boots;
      for (const r of rep.results) if (!all[r.inference]) all[r.inference] = [...r.logits];
      if (rep.exit_code === 0) break;
      expect(rep.exit_code).to.equal(75);
    }
    expect(boots).to.be.greaterThan(2);
    for (const [k, logits] of all.entries()) {
      expect(logits).to.deep.equal([...referenceInference(b.fixture.qmodel, b.fixture.inputs[k % 3]!).logits]);
    }
  });
});
