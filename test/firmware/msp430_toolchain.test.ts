// MSP430 toolchain bring-up: clang --target=msp430 + ld.lld with our crt0, linker scripts and __mspabi_* helpers,
// checked at the instruction-set level in mspdebug's simulator against the same C program built for the host.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const BRINGUP = path.join(FIRMWARE_DIR, 'msp430', 'tests', 'bringup.c');

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
