// The protocol is defined once (src/device/proto_spec.ts); the C header and the README table are generated from it.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROTO_GEN_HEADER, PROTO_README, renderProtoHeader, spliceProtoTable } from '../../src/device/proto_gen.ts';
import { DEVICE_MESSAGES, HOST_MESSAGES } from '../../src/device/proto_spec.ts';
import { C_FLAGS, PROTO_DIR, tempDir } from './helpers.ts';

describe('device/proto_gen', () => {
  it('firmware/proto/inas_proto_gen.h is up to date with proto_spec.ts (run: npx tsx scripts/gen_proto.ts)', () => {
    expect(readFileSync(PROTO_GEN_HEADER, 'utf8')).to.equal(renderProtoHeader());
  });

  it('the message table in firmware/proto/README.md is up to date', () => {
    const readme = readFileSync(PROTO_README, 'utf8');
    expect(spliceProtoTable(readme)).to.equal(readme);
    for (const m of [...DEVICE_MESSAGES, ...HOST_MESSAGES]) expect(readme).to.include(`| \`${m.tag}\` |`);
  });

  it('one emitter per device message and one command id per host message', () => {
    const h = renderProtoHeader();
    for (const m of DEVICE_MESSAGES) expect(h).to.include(`static inline void inas_evt_${m.c}(`);
    HOST_MESSAGES.forEach((m, i) => expect(h).to.include(`#define INAS_CMD_${m.c.toUpperCase()} ${i + 1}u`));
  });

  it('the C side compiles warning-free as C99 for the host and freestanding for the MSP430', () => {
    const out = tempDir('proto-cc');
    execFileSync('gcc', [...C_FLAGS, '-c', path.join(PROTO_DIR, 'inas_proto.c'), '-o', path.join(out, 'host.o')], { stdio: 'pipe' });
    execFileSync('clang', ['--target=msp430', '-ffreestanding', ...C_FLAGS, '-Os', '-c', path.join(PROTO_DIR, 'inas_proto.c'), '-o', path.join(out, 'msp430.o')], { stdio: 'pipe' });
  });
});
