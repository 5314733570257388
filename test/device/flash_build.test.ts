// `inas flash` on a real-board port: the firmware is built from the dump for real (clang --target=msp430 + ld.lld,
// target msp430, the protocol build), then programmed with whatever is installed. This machine has no LaunchPad:
// with no programmer on PATH the error names what to install; with mspdebug installed its tilib/rf2500 drivers fail
// and the error says which driver failed and why. Never a silent success.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dumpModel } from '../../src/dumper/index.ts';
import { flashDump, writeDefaultCcxml } from '../../src/device/index.ts';
import { findOnPath } from '../../src/firmware/msp430_build.ts';
import { readElf } from '../../src/firmware/msp430_elf.ts';
import { DESIGNS, makeFixture, referenceCosts, smallNetwork } from '../firmware/fixtures.ts';
import { tempDir } from './helpers.ts';

describe('device/flash: build the firmware from the dump, then program it', function () {
  this.timeout(120_000);
  let dump: string;
  let port: string;
  let elf: string;

  before(() => {
    const fixture = makeFixture(smallNetwork('fc'), DESIGNS.fc, { seed: 9, count: 2, weightBits: 16 });
    dump = tempDir('flash-dump');
    const d = dumpModel({ ...fixture, costs: referenceCosts() }, dump, { target: 'msp430' });
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
    // Stands for the LaunchPad's back-channel UART: the port exists, nothing answers on it.
    port = path.join(tempDir('flash-port'), 'ttyACM1');
    writeFileSync(port, '');
  });

  it('builds the protocol firmware (clang + ld.lld); mspdebug fails for lack of a board and says which driver and why', async function () {
    if (findOnPath('mspdebug') === null) this.skip();
    const r = await flashDump(dump, { port, toolchain: 'clang', env: { ...process.env, DSPLIB_PATH: '' } });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    // The build ran for real: an MSP430 ELF of the protocol loop.
    elf = path.join(dump, 'build', 'msp430', 'inas.elf');
    expect(existsSync(elf), 'ELF built from the dump').to.equal(true);
    const info = readElf(elf);
    expect(info.ok && info.value.machine).to.equal(105);
    expect(info.ok && info.value.symbols.some((s) => s.name === 'inas_board_run')).to.equal(true);
    const i = r.issues[0]!;
    expect(i.code).to.equal('device_error');
    expect(i.message).to.match(/mspdebug tilib: .*libmsp430\.so/);
    expect(i.message).to.match(/mspdebug rf2500: /);
    expect(i.message).to.contain('inas.elf');
  });

  it('no programmer installed: one clear message naming what to install (the ELF is still built)', async () => {
    // A PATH with the compiler and the linker only.
    const bin = tempDir('flash-bin');
    for (const tool of ['clang', 'ld.lld']) {
      const p = findOnPath(tool);
      if (p !== null) symlinkSync(p, path.join(bin, tool));
    }
    const r = await flashDump(dump, { port, toolchain: 'clang', env: { PATH: bin, DSPLIB_PATH: '' } });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.issues[0]!.code).to.equal('toolchain_missing');
    expect(r.issues[0]!.message).to.match(/no MSP430 programmer is installed.*mspdebug.*MSP430Flasher.*UniFlash/);
    const again = await flashDump(dump, { port, programmer: 'dslite', env: { PATH: bin }, elf: path.join(dump, 'build', 'msp430', 'inas.elf') });
    expect(!again.ok && again.issues[0]!.message).to.match(/--programmer dslite: dslite is not installed/);
  });

  it('DSLite gets a generated MSP430FR5994 target configuration when no --ccxml is given', () => {
    const dir = tempDir('ccxml');
    mkdirSync(dir, { recursive: true });
    const f = writeDefaultCcxml(dir);
    const xml = readFileSync(f, 'utf8');
    expect(xml).to.match(/^<\?xml version="1\.0"/);
    expect(xml).to.contain('href="devices/MSP430FR5994.xml"');
    expect(xml).to.contain('href="connections/TIMSP430-USB.xml"');
    // Well-formed: every element opened is closed (xmllint when available).
    try {
      execFileSync('xmllint', ['--noout', f], { stdio: 'pipe' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  });
});
