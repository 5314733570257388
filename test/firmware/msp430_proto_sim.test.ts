// The protocol build of the MSP430 firmware (firmware/proto/board_loop.c, the loop the virtual board runs too),
// compiled with clang --target=msp430 + ld.lld and run in mspdebug's simulator: its console carries the protocol's
// checksummed lines, which the TS parser (src/device) decodes; the results are bit-exact with the TS reference,
// also with resets (power failures with FRAM intact) during the image load and in the middle of an inference.
// The same dump is built for the board (eUSCI_A0 receive interrupt, shared loop) and checked against the part.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLineDecoder, type DeviceEvent } from '../../src/device/index.ts';
import { dumpModel } from '../../src/dumper/index.ts';
import { buildMsp430Dump, protoRecordBytes, runMspdebugSim, type Msp430DumpBuild } from '../../src/firmware/index.ts';
import { readElf } from '../../src/firmware/msp430_elf.ts';
import { referenceInference } from '../../src/quant/index.ts';
import { DESIGNS, makeFixture, referenceCosts, smallNetwork, type Fixture } from './fixtures.ts';
import { unwrap } from '../helpers.ts';

function decode(console: string): { events: DeviceEvent[]; stats: ReturnType<typeof createLineDecoder>['stats'] } {
  const d = createLineDecoder();
  const out = d.push(Buffer.from(console, 'latin1'));
  return { events: out.flatMap((x) => (x.kind === 'event' ? [x.event] : [])), stats: d.stats };
}

const manifestNvm = (d: string): number => (JSON.parse(readFileSync(path.join(d, 'manifest.json'), 'utf8')) as { nvm: { size_bytes: number } }).nvm.size_bytes;

type Ev<T extends DeviceEvent['tag']> = Extract<DeviceEvent, { tag: T }>;
const only = <T extends DeviceEvent['tag']>(evs: DeviceEvent[], tag: T): Ev<T>[] => evs.filter((e): e is Ev<T> => e.tag === tag);

describe('firmware msp430 protocol build (shared board loop) in mspdebug sim', function () {
  this.timeout(120_000);
  const root = mkdtempSync(path.join(os.tmpdir(), 'inas-msp430-proto-'));
  const dir = path.join(root, 'fc');
  const count = 3;
  let fixture: Fixture;
  let sim: Msp430DumpBuild;
  let cleanInstructions = 0;
  let cleanEvents: DeviceEvent[] = [];
  let cleanMclk = 0;

  before(async () => {
    fixture = makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 5, count, weightBits: 16 });
    unwrap(dumpModel({ ...fixture, costs: referenceCosts() }, dir, { target: 'msp430-sim' }));
    sim = unwrap(await buildMsp430Dump(dir, { target: 'msp430-sim', protocol: true, toolchain: 'clang' }));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Checks one run's decoded output: every inference once, bit-exact, with per-layer events and totals. */
  function checkRun(events: DeviceEvent[], layers: number): void {
    const results = only(events, 'RESULT');
    const byInf = new Map(results.map((r) => [r.inf, r]));
    expect([...byInf.keys()].sort((a, b) => a - b)).to.deep.equal([...Array(count).keys()]);
    for (const [inf, r] of byInf) {
      const ref = referenceInference(fixture.qmodel, fixture.inputs[inf % count]!);
      expect(r.logits, `inference ${inf}`).to.deep.equal([...ref.logits]);
      expect(r.class).to.equal(ref.class);
      expect(r.sample).to.equal(inf % count);
    }
    const totals = only(events, 'TOTAL');
    expect(new Set(totals.map((t) => t.inf)).size, 'one TOTAL per inference').to.equal(count);
    for (const t of totals) {
      expect(t.nvm_writes, `TOTAL ${t.inf}`).to.be.greaterThan(0);
      expect(t.ticks).to.be.greaterThan(0);
      expect(t.cycles).to.be.at.least(layers);
    }
    for (let inf = 0; inf < count; inf++) {
      expect(new Set(only(events, 'LAYER').filter((l) => l.inf === inf).map((l) => l.layer)).size, `LAYER events of ${inf}`).to.equal(layers);
    }
    const idle = only(events, 'IDLE');
    expect(idle[idle.length - 1]?.inf).to.equal(count);
  }

  it('builds a 16-bit ELF whose persistent state sits in .persistent FRAM, within the FR5994', () => {
    expect(sim.protocol).to.equal(true);
    expect(sim.sizes.fram_used_bytes).to.be.at.most(sim.sizes.fram_capacity_bytes);
    expect(sim.sizes.sram_used_bytes).to.be.at.most(sim.sizes.sram_capacity_bytes);
    const elf = unwrap(readElf(sim.binary));
    const sec = elf.sections.find((s) => s.name === '.persistent')!;
    expect(sec, '.persistent section').to.not.equal(undefined);
    const sym = (name: string) => elf.symbols.find((s) => s.name === name);
    for (const name of ['inas_board_run', 'inas_proto_boot_check', 'inas_proto_handle', 'inas_engine_run']) expect(sym(name), name).to.not.equal(undefined);
    // NVM (image, progress records, protocol record with boot and inference counters), the event accumulators and
    // the NVM write counter: all in FRAM that crt0 leaves alone.
    for (const name of ['sim_nvm', 'ev', 'nvm_write_count']) {
      const s = sym(name);
      expect(s, name).to.not.equal(undefined);
      expect(s!.value, `${name} in .persistent`).to.be.within(sec.addr, sec.addr + sec.size_bytes - 1);
    }
    const sizeOf = elf.symbols.find((s) => s.name === 'sim_nvm')!.size_bytes;
    expect(sizeOf, 'NVM array = model plan + protocol record').to.equal(sim.nvm_bytes);
    expect(sim.nvm_bytes).to.be.at.least(manifestNvm(dir) + protoRecordBytes());
  });

  it('prints BOOT, per-layer events, RESULT and TOTAL lines with valid checksums: results bit-exact', async () => {
    const r = unwrap(await runMspdebugSim({ elf: sim.binary, timeout_s: 60 }));
    expect(r.halted).to.equal(true);
    expect(r.exit_status).to.equal(0);
    cleanInstructions = r.instructions;
    cleanMclk = r.mclk_cycles;
    const { events, stats } = decode(r.console);
    cleanEvents = events;
    expect(stats.bad_crc + stats.malformed + stats.unknown_tag + stats.partial).to.equal(0);
    expect(stats.garbage).to.equal(0);
    const boots = only(events, 'BOOT');
    expect(boots).to.have.length(1);
    expect(boots[0]).to.include({ boot: 1, model_state: 'empty', tick_hz: 16_000_000, fw_crc: sim.fw_crc });
    checkRun(events, fixture.qmodel.net.layers.length);
  });

  it('survives resets during the image load and in the middle of an inference: resumes, nothing lost or repeated', async () => {
    expect(cleanInstructions).to.be.greaterThan(0);
    // The first reset hits the loader (early), the second one the inferences (counted from the second boot).
    const resets = [Math.floor(cleanInstructions * 0.03), Math.floor(cleanInstructions * 0.5)];
    const r = unwrap(await runMspdebugSim({ elf: sim.binary, resetsAfterInstructions: resets, timeout_s: 60 }));
    expect(r.halted).to.equal(true);
    expect(r.halted_before_reset).to.deep.equal([false, false]);
    const { events, stats } = decode(r.console);
    // A reset may cut one line short; every other line passes its CRC.
    expect(stats.bad_crc + stats.malformed + stats.unknown_tag).to.equal(0);
    expect(stats.partial).to.be.at.most(2);
    const boots = only(events, 'BOOT');
    expect(boots.map((b) => b.boot)).to.deep.equal([1, 2, 3]);
    expect(boots[1]!.model_state, 'reset during the load').to.equal('partial');
    expect(boots[2]!.model_state).to.equal('ok');
    expect(only(events, 'RESUME').length).to.be.at.least(1);
    checkRun(events, fixture.qmodel.net.layers.length);
  });

  it('a reset after two commits of a layer: the on-time before it still counts (banked at every commit)', async () => {
    // conv1d: layers of several batches (fc's layers commit once, at their end).
    const cfx = makeFixture(smallNetwork('conv1d'), DESIGNS.conv1d, { seed: 5, count: 2, weightBits: 16 });
    const cdir = path.join(root, 'conv1d');
    unwrap(dumpModel({ ...cfx, costs: referenceCosts() }, cdir, { target: 'msp430-sim' }));
    const celf = unwrap(await buildMsp430Dump(cdir, { target: 'msp430-sim', protocol: true, toolchain: 'clang' })).binary;
    const nLayers = cfx.qmodel.net.layers.length;
    const clean = decode(unwrap(await runMspdebugSim({ elf: celf, timeout_s: 60 })).console).events;
    const L = 0;
    const ref = only(clean, 'LAYER').find((l) => l.inf === 1 && l.layer === L)!;
    // Stop at the start of (inference 1, layer 0) — the (nLayers + 1)-th layer start — then at its second commit,
    // 50 instructions later power fails.
    const r = unwrap(await runMspdebugSim({
      elf: celf, timeout_s: 60,
      resetsAtBreaks: [{ symbol: 'inas_event_layer_start', hits: nLayers + L + 1, then: { symbol: 'inas_hal_on_commit', hits: 2 }, thenSteps: 50 }],
    }));
    expect(r.halted_before_reset).to.deep.equal([false]);
    const { events } = decode(r.console);
    const resume = only(events, 'RESUME').find((e) => e.inf === 1)!;
    expect(resume.layer, 'resumed in that layer').to.equal(L);
    expect(resume.tiles, 'with two batches committed').to.be.greaterThan(0);
    const split = only(events, 'LAYER').find((l) => l.inf === 1 && l.layer === L)!;
    expect(split.cycles).to.equal(2);
    // Without banking, LAYER.ticks would hold only the segment after the reset (the layer minus two batches).
    expect(split.ticks, `${split.ticks} ticks over 2 power cycles, ${ref.ticks} uninterrupted`).to.be.at.least(Math.floor(ref.ticks * 0.97));
    expect(only(events, 'RESULT').map((x) => x.inf).sort()).to.deep.equal([0, 1]);
    for (const x of only(events, 'RESULT')) expect(x.logits).to.deep.equal([...referenceInference(cfx.qmodel, cfx.inputs[x.inf]!).logits]);
    expect(only(events, 'TOTAL').find((t) => t.inf === 1)!.cycles).to.equal(nLayers + 1);
  });

  it('boot cost before the engine computes again: bounded image check (one chunk) vs the full CRC-32 at every boot', async () => {
    // Reset in the first inference (image loaded and verified), then run to the engine's boot after the reset: the
    // segment is crt0 + record + image check + BOOT line. Measured for the default build and INAS_PROTO_BOOT_FULL_CHECK.
    const full = unwrap(await buildMsp430Dump(dir, { target: 'msp430-sim', protocol: true, toolchain: 'clang', bootCheck: 'full', buildDir: path.join(root, 'full-check') }));
    const measure = async (elf: string): Promise<{ cycles: number[]; states: string[] }> => {
      const r = unwrap(await runMspdebugSim({
        elf, timeout_s: 60,
        resetsAtBreaks: [
          { symbol: 'inas_engine_run', hits: 1, thenSteps: 0 },
          { symbol: 'inas_engine_boot', hits: 1, thenSteps: 0 },
          { symbol: 'inas_engine_boot', hits: 1, thenSteps: 0 },
        ],
      }));
      const seg = r.segments;
      const boots = only(decode(r.console).events, 'BOOT');
      checkRun(decode(r.console).events, fixture.qmodel.net.layers.length);
      return { cycles: [seg[1]!.mclk_cycles - seg[0]!.mclk_cycles, seg[2]!.mclk_cycles - seg[1]!.mclk_cycles], states: boots.map((b) => b.model_state) };
    };
    const bounded = await measure(sim.binary);
    const old = await measure(full.binary);
    expect(bounded.states.slice(1)).to.deep.equal(['ok', 'ok', 'ok']);
    expect(old.states.slice(1)).to.deep.equal(['ok', 'ok', 'ok']);
    const image = readFileSync(path.join(dir, 'weights.bin')).length;
    const chunks = Math.ceil(image / 64);
    console.log(`      boot → engine after a reset (${image} B image, ${chunks} chunks of 64 B): full check ${old.cycles.join(', ')} cycles; bounded ${bounded.cycles.join(', ')} cycles`);
    // The full check reads the whole image; the bounded one a single chunk: the difference is most of the image's CRC.
    for (const c of bounded.cycles) expect(c).to.be.lessThan(Math.min(...old.cycles));
    expect(Math.min(...old.cycles) - Math.max(...bounded.cycles), 'cycles saved per boot').to.be.greaterThan(15 * (image - 64));
  });

  it('builds the same loop for the board: UART receive interrupt on the eUSCI_A0 vector, sizes within the part', async () => {
    const b = unwrap(await buildMsp430Dump(dir, { target: 'msp430', toolchain: 'clang', env: { ...process.env, DSPLIB_PATH: '' } }));
    expect(b.protocol).to.equal(true);
    expect(b.sizes.fram_used_bytes).to.be.at.most(b.sizes.fram_capacity_bytes);
    expect(b.sizes.sram_used_bytes).to.be.at.most(b.sizes.sram_capacity_bytes);
    const elf = unwrap(readElf(b.binary));
    // The weights arrive over the serial loader: the board ELF does not carry them (the simulator's does, to load).
    expect(elf.symbols.some((s) => s.name === 'inas_weights_image'), 'weights image linked into the board ELF').to.equal(false);
    expect(unwrap(readElf(sim.binary)).symbols.some((s) => s.name === 'inas_weights_image')).to.equal(true);
    const isr = elf.symbols.find((s) => s.name === 'inas_isr_usci_a0');
    expect(isr, 'UART receive ISR').to.not.equal(undefined);
    const vectors = elf.sections.find((s) => s.name === '.vectors')!;
    const word = readFileSync(b.binary).readUInt16LE(vectors.file_offset + (0xfff0 - vectors.addr));
    expect(word, 'vector 0xFFF0 → inas_isr_usci_a0').to.equal(isr!.value);
    console.log(`      board ELF (SPI FRAM NVM): FRAM ${b.sizes.fram_used_bytes} / ${b.sizes.fram_capacity_bytes} B, SRAM ${b.sizes.sram_used_bytes} / ${b.sizes.sram_capacity_bytes} B (stack ${b.sizes.stack_bytes})`);
    // With the NVM in the MCU's own FRAM: image, engine records and protocol record in one .persistent array.
    const f = unwrap(await buildMsp430Dump(dir, { target: 'msp430', nvm: 'fram', toolchain: 'clang', env: { ...process.env, DSPLIB_PATH: '' } }));
    const felf = unwrap(readElf(f.binary));
    const pers = felf.sections.find((s) => s.name === '.persistent')!;
    const nvm = felf.symbols.find((s) => s.name === 'board_nvm')!;
    expect(nvm.size_bytes).to.be.at.least(manifestNvm(dir) + protoRecordBytes());
    expect(nvm.value).to.be.within(pers.addr, pers.addr + pers.size_bytes - nvm.size_bytes);
    expect(f.sizes.fram_used_bytes).to.be.at.most(f.sizes.fram_capacity_bytes);
    console.log(`      board ELF (internal FRAM NVM): FRAM ${f.sizes.fram_used_bytes} B (${nvm.size_bytes} B of it NVM), SRAM ${f.sizes.sram_used_bytes} B`);
    // The plain-text board build (no protocol) still builds and links, with its weights image.
    const t = unwrap(await buildMsp430Dump(dir, { target: 'msp430', protocol: false, toolchain: 'clang', env: { ...process.env, DSPLIB_PATH: '' } }));
    expect(t.protocol).to.equal(false);
    const telf = unwrap(readElf(t.binary)).symbols;
    expect(telf.some((x) => x.name === 'inas_weights_image') && !telf.some((x) => x.name === 'inas_board_run')).to.equal(true);
  });
});
