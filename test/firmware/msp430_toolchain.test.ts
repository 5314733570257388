// MSP430 toolchain bring-up: clang --target=msp430 + ld.lld with our crt0, linker scripts and __mspabi_* helpers,
// checked at the instruction-set level in mspdebug's simulator against the same C program built for the host.
// Also: link overflows as one "needs N B, has M B" line per region, and the DSPLib/LEA build plumbing against a
// DSPLib-shaped folder the test writes.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FIRMWARE_DIR,
  FR5994_LIMITS,
  buildMsp430,
  detectMsp430Toolchain,
  formatMsp430Sizes,
  planMsp430Build,
} from '../../src/firmware/msp430_build.ts';
import { readElf } from '../../src/firmware/msp430_elf.ts';
import { runMspdebugSim } from '../../src/firmware/msp430_sim.ts';
import { dumpModel } from '../../src/dumper/index.ts';
import { DESIGNS, makeFixture, referenceCosts, smallNetwork } from './fixtures.ts';

const BRINGUP = path.join(FIRMWARE_DIR, 'msp430', 'tests', 'bringup.c');

/**
 * A folder shaped like TI's MSP DSPLib, written by the test to exercise the build plumbing (not TI's library): the
 * header declares exactly what firmware/hal/msp430/mac_lea.c uses (_q15, _iq31, msp_status, MSP_SUCCESS,
 * msp_mac_q15_params.length, msp_mac_q15), and the three sources msp430_build.ts compiles from a DSPLib root
 * (source/vector/msp_mac_q15.c, source/utility/msp_lea_isr.c, source/utility/msp_lea_flags.c) implement them in
 * plain C: the MAC returns twice the integer sum of products, as DSPLib's _iq31 result does.
 */
function writeFakeDsplib(root: string): string {
  mkdirSync(path.join(root, 'include'), { recursive: true });
  mkdirSync(path.join(root, 'source', 'vector'), { recursive: true });
  mkdirSync(path.join(root, 'source', 'utility'), { recursive: true });
  writeFileSync(path.join(root, 'include', 'DSPLib.h'), [
    '#ifndef FAKE_DSPLIB_H', '#define FAKE_DSPLIB_H', '#include <stdint.h>',
    'typedef int16_t _q15;', 'typedef int32_t _iq31;',
    'typedef enum { MSP_SUCCESS = 0, MSP_SIZE_ERROR = 1 } msp_status;',
    'typedef struct { uint16_t length; } msp_mac_q15_params;',
    'msp_status msp_mac_q15(const msp_mac_q15_params *params, const _q15 *srcA, const _q15 *srcB, _iq31 *result);',
    'extern volatile uint16_t msp_lea_ifg;', 'void msp_lea_isr(void);', '#endif', ''].join('\n'));
  writeFileSync(path.join(root, 'source', 'vector', 'msp_mac_q15.c'), [
    '#include "DSPLib.h"',
    'msp_status msp_mac_q15(const msp_mac_q15_params *params, const _q15 *srcA, const _q15 *srcB, _iq31 *result) {',
    '  uint32_t acc = 0u;', '  uint16_t i;',
    '  if ((params->length & 1u) != 0u) return MSP_SIZE_ERROR;',
    '  for (i = 0u; i < params->length; i++) acc += (uint32_t)((int32_t)srcA[i] * (int32_t)srcB[i]);',
    '  *result = (_iq31)(acc << 1);', '  return MSP_SUCCESS;', '}', ''].join('\n'));
  writeFileSync(path.join(root, 'source', 'utility', 'msp_lea_flags.c'), '#include "DSPLib.h"\nvolatile uint16_t msp_lea_ifg;\n');
  writeFileSync(path.join(root, 'source', 'utility', 'msp_lea_isr.c'), '#include "DSPLib.h"\nvoid msp_lea_isr(void) { msp_lea_ifg = 1u; }\n');
  return root;
}

describe('firmware/msp430 toolchain', function () {
  this.timeout(120_000);
  let dir: string;
  let expected: string[];
  let simElf: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'inas-msp430-'));
    // The oracle: the same program compiled for the host.
    const host = path.join(dir, 'bringup_host');
    execFileSync('gcc', ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-pedantic', '-DINAS_BRINGUP_HOST', BRINGUP, '-o', host]);
    expected = execFileSync(host, { encoding: 'utf8' }).trimEnd().split('\n');
    const built = await buildMsp430({ target: 'msp430-sim', sources: [BRINGUP], outDir: path.join(dir, 'sim'), name: 'bringup' });
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    simElf = built.value.elf;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a 16-bit MSP430 ELF for the simulator with our crt0 and linker script', () => {
    const elf = readElf(simElf);
    expect(elf.ok).to.equal(true);
    if (!elf.ok) return;
    expect(elf.value.machine).to.equal(105);
    const names = new Map(elf.value.sections.map((s) => [s.name, s]));
    expect(names.get('.text')?.addr).to.equal(0x4000);
    expect(names.get('.vectors')?.addr).to.equal(0xff90);
    expect(names.get('.vectors')?.size_bytes).to.equal(0x70);
    const reset = elf.value.symbols.find((s) => s.name === '_inas_reset');
    expect(reset?.value).to.equal(elf.value.entry);
    // Everything the code calls is defined: no helper is missing and none calls itself forever (see the run below).
    expect(elf.value.symbols.some((s) => s.name === '__mspabi_divlli')).to.equal(true);
  });

  it('runs in mspdebug sim and prints exactly what the host build prints (multiply, divide, shifts, Q15 MAC)', async () => {
    const r = await runMspdebugSim({ elf: simElf, timeout_s: 60 });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.halted).to.equal(true);
    expect(r.value.exit_status).to.equal(0);
    const lines = r.value.console.trimEnd().split('\n');
    expect(lines[0]).to.equal('boot 1 data ok');
    expect(lines.filter((l) => !l.startsWith('cycles') && !l.startsWith('boot'))).to.deep.equal(expected);
    const mac = /^cycles mac_q15 n=64: (\d+)$/m.exec(r.value.console);
    expect(mac).to.not.equal(null);
    const perMac = Number(mac?.[1]) / 64;
    // Measured figure for the README: cycles per Q15 MAC with the 16x16 multiplier through the C helper.
    console.log(`      mspdebug sim: ${r.value.instructions} instructions, ${r.value.mclk_cycles} MCLK cycles; Q15 MAC ${perMac.toFixed(1)} cycles/element`);
    expect(perMac).to.be.within(5, 400);
    expect(r.value.mclk_cycles).to.be.greaterThan(r.value.instructions);
  });

  it('survives resets injected by stepping N instructions: FRAM (.persistent) is kept, .data/.bss are re-initialised', async () => {
    const r = await runMspdebugSim({ elf: simElf, resetsAfterInstructions: [5_000, 20_000], timeout_s: 60 });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.resets).to.equal(2);
    expect(r.value.segments).to.have.length(3);
    expect(r.value.segments[0]?.instructions).to.equal(5_000);
    // The reset itself counts as one traced event, so the second boot starts one count later.
    expect(r.value.segments[1]?.instructions).to.be.within(25_000, 25_001);
    const lines = r.value.console.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('boot'))).to.deep.equal(['boot 1 data ok', 'boot 2 data ok', 'boot 3 data ok']);
    // The last boot ran to completion with the right answers.
    const lastBoot = lines.lastIndexOf('boot 3 data ok');
    expect(lines.slice(lastBoot + 1).filter((l) => !l.startsWith('cycles'))).to.deep.equal(expected);
    expect(r.value.halted).to.equal(true);
  });

  it('builds the board HAL for the MSP430FR5994 (-Wall -Wextra -Werror -pedantic) and reports sizes against the part', async () => {
    const built = await buildMsp430({ target: 'msp430', sources: [BRINGUP], outDir: path.join(dir, 'board'), name: 'bringup', env: { ...process.env, DSPLIB_PATH: '' } });
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    const s = built.value.sizes;
    expect(built.value.lea).to.equal('mpy32');
    expect(s.fram_capacity_bytes).to.equal(FR5994_LIMITS.fram_bytes);
    expect(s.text_bytes).to.be.greaterThan(1000);
    expect(s.fram_used_bytes).to.equal(s.text_bytes + s.rodata_bytes + s.data_bytes + s.persistent_bytes);
    expect(s.sram_used_bytes).to.be.at.most(FR5994_LIMITS.sram_bytes);
    const elf = readElf(built.value.elf);
    if (!elf.ok) throw new Error('unreadable');
    // The board build uses the MPY32 helpers, not the simulator's 16-bit multiplier ones.
    const syms = new Set(elf.value.symbols.map((x) => x.name));
    expect(syms.has('__mspabi_mpyl_f5hw')).to.equal(true);
    expect(syms.has('__mspabi_mpyl_hw')).to.equal(false);
    expect(syms.has('inas_isr_timer0_a1')).to.equal(true);
    expect(formatMsp430Sizes(s)[0]).to.match(/^FRAM \d+ \/ 49024 B/);
  });

  it('fails with model_too_large and the numbers when the firmware does not fit the FRAM', async () => {
    const big = path.join(dir, 'big.c');
    writeFileSync(
      big,
      '#include <stdint.h>\n#include "intrinsics.h"\nstatic INAS_NVM_CONST const uint8_t weights[52000] = {1};\n' +
        'volatile uint8_t sink;\nint main(void) { sink = weights[sink]; return 0; }\n',
    );
    const built = await buildMsp430({ target: 'msp430-sim', sources: [big], outDir: path.join(dir, 'big'), name: 'big' });
    expect(built.ok).to.equal(false);
    if (built.ok) return;
    // One issue for the FRAM region (ld.lld reports each overflowing section, some twice), with one summary line.
    expect(built.issues).to.have.length(1);
    expect(built.issues[0]?.code).to.equal('model_too_large');
    const m = /FRAM: needs (\d+) B, has 49024 B \(over by (\d+) B\)/.exec(built.issues[0]?.message ?? '');
    expect(m, built.issues[0]?.message).to.not.equal(null);
    const over = Number(m?.[2]);
    expect(Number(m?.[1])).to.equal(49024 + over);
    // 52 000 B of constants + the program's code and helpers: a few hundred bytes to a few KB over.
    expect(over).to.be.within(52000 - 49024, 52000 - 49024 + 8192);
    expect(built.issues[0]?.data).to.include({ region: 'FRAM', overflow_bytes: over, capacity_bytes: 49024, need_bytes: 49024 + over });
  });

  it('reports an SRAM overflow (a linker-script ASSERT without numbers) as one "SRAM: needs N B, has 4096 B" line', async () => {
    const big = path.join(dir, 'bigram.c');
    writeFileSync(big, '#include <stdint.h>\nvolatile uint8_t buf[3500];\nint main(void) { buf[1] = buf[0]; return 0; }\n');
    const built = await buildMsp430({ target: 'msp430-sim', sources: [big], outDir: path.join(dir, 'bigram'), name: 'bigram' });
    expect(built.ok).to.equal(false);
    if (built.ok) return;
    expect(built.issues).to.have.length(1);
    expect(built.issues[0]?.code).to.equal('model_too_large');
    const m = /SRAM: needs (\d+) B, has 4096 B \(over by (\d+) B\)/.exec(built.issues[0]?.message ?? '');
    expect(m, built.issues[0]?.message).to.not.equal(null);
    // 3 500 B of .bss + 768 B of reserved stack (+ the C library's few bytes).
    expect(Number(m?.[1])).to.be.within(3500 + 768, 3500 + 768 + 256);
    expect(Number(m?.[2])).to.equal(Number(m?.[1]) - 4096);
  });

  it('DSPLIB_PATH without include/DSPLib.h fails with toolchain_missing naming DSPLIB_PATH', async () => {
    const empty = path.join(dir, 'not_dsplib');
    mkdirSync(empty, { recursive: true });
    const built = await buildMsp430({ target: 'msp430', sources: [BRINGUP], outDir: path.join(dir, 'nodsp'), env: { ...process.env, DSPLIB_PATH: empty } });
    expect(built.ok).to.equal(false);
    if (built.ok) return;
    expect(built.issues).to.have.length(1);
    expect(built.issues[0]?.code).to.equal('toolchain_missing');
    expect(built.issues[0]?.path).to.equal('DSPLIB_PATH');
    expect(built.issues[0]?.message).to.equal(`DSPLIB_PATH=${empty} has no include/DSPLib.h (expected TI's MSP DSPLib root)`);
    // The simulator has no LEA: DSPLIB_PATH is not looked at.
    const tc = detectMsp430Toolchain('clang');
    if (!tc.ok) throw new Error('clang');
    const sim = planMsp430Build({ target: 'msp430-sim', sources: [BRINGUP], outDir: dir, env: { ...process.env, DSPLIB_PATH: empty } }, tc.value);
    expect(sim.ok && sim.value.lea).to.equal('none');
  });

  it('a DSPLib-shaped DSPLIB_PATH makes inas build --target msp430 take the LEA path: INAS_HAVE_DSPLIB, DSPLib sources and mac_lea.c compiled and linked', () => {
    const dsplib = writeFakeDsplib(path.join(dir, 'fake_dsplib'));
    const dump = path.join(dir, 'dsp_dump');
    const fixture = makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 3, count: 1 });
    const d = dumpModel({ ...fixture, costs: referenceCosts() }, dump, { target: 'msp430' });
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
    const cli = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
      spawnSync(process.execPath, ['scripts/inas.mjs', ...args], { encoding: 'utf8', env: { ...process.env, DSPLIB_PATH: dsplib } });
    const b = cli('build', dump, '--target', 'msp430', '--toolchain', 'clang', '--json');
    expect(b.status, b.stderr).to.equal(0);
    const r = JSON.parse(b.stdout) as { lea: string; binary: string; commands: string[][]; sizes: { lea_ram_bytes: number; lea_ram_capacity_bytes: number } };
    expect(r.lea).to.equal('dsplib');
    const compiled = (f: string): string[] | undefined => r.commands.find((c) => c.some((a) => a.endsWith(f)) && c.includes('-c'));
    for (const f of ['msp_mac_q15.c', 'msp_lea_isr.c', 'msp_lea_flags.c', 'mac_lea.c', 'hal_board.c']) {
      const argv = compiled(f);
      expect(argv, f).to.not.equal(undefined);
      expect(argv, f).to.include('-DINAS_HAVE_DSPLIB=1');
      expect(argv, f).to.include(`-I${path.join(dsplib, 'include')}`);
    }
    // Our LEA file keeps the -Werror policy; DSPLib's (TI's) sources are built without it.
    expect(compiled('mac_lea.c')).to.include('-Werror');
    expect(compiled('msp_mac_q15.c')).to.not.include('-Werror');
    const elf = readElf(r.binary);
    if (!elf.ok) throw new Error('unreadable ELF');
    const syms = new Set(elf.value.symbols.map((x) => x.name));
    for (const sym of ['inas_board_lea_init', 'inas_board_mac_q15_lea', 'msp_mac_q15']) expect(syms.has(sym), sym).to.equal(true);
    // mac_lea.c's operand buffers (2 x 256 Q15 + the result) live in LEA RAM.
    expect(r.sizes.lea_ram_bytes).to.be.within(1028, r.sizes.lea_ram_capacity_bytes);
    // The human output says which MAC path was chosen (the ELF is up to date: no rebuild).
    const t = cli('build', dump, '--target', 'msp430', '--toolchain', 'clang');
    expect(t.status, t.stderr).to.equal(0);
    expect(t.stdout).to.include('(up to date)');
    expect(t.stdout).to.match(/^MAC path: dsplib — LEA through TI's DSPLib/m);
    // Without DSPLIB_PATH the same dump builds the MPY32 path.
    const plain = spawnSync(process.execPath, ['scripts/inas.mjs', 'build', dump, '--target', 'msp430', '--toolchain', 'clang', '--json'], { encoding: 'utf8', env: { ...process.env, DSPLIB_PATH: '' } });
    expect(plain.status, plain.stderr).to.equal(0);
    expect((JSON.parse(plain.stdout) as { lea: string }).lea).to.equal('mpy32');
  });

  it('uses msp430-elf-gcc -mmcu=msp430fr5994 when it is on PATH, and says what is missing otherwise', () => {
    const bin = path.join(dir, 'fakebin');
    execFileSync('mkdir', ['-p', bin]);
    const gcc = path.join(bin, 'msp430-elf-gcc');
    writeFileSync(gcc, '#!/bin/sh\nexit 0\n');
    chmodSync(gcc, 0o755);
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
    const tc = detectMsp430Toolchain(undefined, env);
    expect(tc.ok && tc.value.name).to.equal('msp430-elf-gcc');
    if (!tc.ok) return;
    const plan = planMsp430Build({ target: 'msp430', sources: [BRINGUP], outDir: dir, env: { ...env, DSPLIB_PATH: '' } }, tc.value);
    expect(plan.ok).to.equal(true);
    if (!plan.ok) return;
    const argv = plan.value.compile.find((c) => c.source === BRINGUP)?.argv ?? [];
    expect(argv).to.include('-mmcu=msp430fr5994');
    expect(argv).to.include('-Werror');
    // gcc brings libgcc/newlib: our helper and libc files are not compiled.
    expect(plan.value.compile.some((c) => c.source.endsWith('mspabi.c'))).to.equal(false);
    expect(plan.value.link).to.include('-nostartfiles');
    expect(plan.value.link.join(' ')).to.contain(path.join('msp430', 'msp430fr5994.ld'));
    // clang can still be forced.
    const clang = detectMsp430Toolchain('clang', env);
    expect(clang.ok && clang.value.name).to.equal('clang');
    // Nothing on PATH: one clear message naming what is missing.
    const none = detectMsp430Toolchain('msp430-elf-gcc', { PATH: path.join(dir, 'nothing') });
    expect(none.ok).to.equal(false);
    if (!none.ok) expect(none.issues[0]?.message).to.match(/msp430-elf-gcc is not on PATH/);
    const noClang = detectMsp430Toolchain('clang', { PATH: path.join(dir, 'nothing') });
    if (!noClang.ok) expect(noClang.issues[0]?.message).to.match(/clang and ld\.lld not on PATH/);
    expect(readFileSync(gcc, 'utf8')).to.contain('exit 0');
  });
});
