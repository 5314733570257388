// End to end over real ptys (socat) with a real C program speaking the protocol (firmware/proto/test/proto_device.c,
// built from the same inas_proto.c as the firmware): load, line noise, resets mid-transfer, a board that stops
// answering, and the firmware refusing a corrupt image.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import {
  createDeviceLink, flashDump, loadImage, openSerialTransport, serveVirtualBoard, type DeviceEvent, type VirtualBoard,
} from '../../src/device/index.ts';
import { protoRecordBytes } from '../../src/firmware/index.ts';
import { buildProtoProgram, tempDir, writeProtoDump } from './helpers.ts';

async function board(args: string[] = [], extra: { flipRate?: number; nvm?: string } = {}): Promise<VirtualBoard> {
  const r = await serveVirtualBoard(null, { program: buildProtoProgram('proto_device'), programArgs: args, offTimeS: 0.02, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

async function link(port: string, onEvent?: (e: DeviceEvent) => void) {
  const t = await openSerialTransport(port);
  if (!t.ok) throw new Error(JSON.stringify(t.issues));
  return createDeviceLink(t.value, onEvent ? { onDecoded: (d) => { if (d.kind === 'event') onEvent(d.event); } } : {});
}

describe('device/virtual board (socat pty + proto_device)', function () {
  this.timeout(60000);
  const boards: VirtualBoard[] = [];
  after(async () => {
    for (const b of boards) await b.stop();
  });

  it('flash loads the image over the pty and the board verifies its CRC-32; a second flash finds it loaded', async () => {
    const dump = tempDir('dump');
    writeProtoDump(dump, { imageBytes: 3000 });
    const b = await board();
    boards.push(b);
    const r = await flashDump(dump, { port: b.port });
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).to.equal(true);
    if (!r.ok) return;
    expect(r.value.board).to.equal('virtual');
    expect(r.value.programmed).to.equal(null);
    expect(r.value.load).to.include({ action: 'uploaded', size_bytes: 3000, retries: 0 });
    expect(r.value.load.chunks_sent).to.equal(Math.ceil(3000 / 64));
    const again = await flashDump(dump, { port: b.port });
    expect(again.ok && again.value.load.action).to.equal('already_loaded');
  });

  it('loads through a line that flips bits in both directions (retries, dropped lines, same CRC)', async () => {
    const b = await board([], { flipRate: 0.004 });
    boards.push(b);
    const l = await link(b.port);
    const image = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7) & 0xff);
    const r = await loadImage(l, image, { replyTimeoutS: 0.5, maxFailures: 400 });
    const stats = { ...l.stats };
    await l.close();
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).to.equal(true);
    if (!r.ok) return;
    expect(r.value.action).to.equal('uploaded');
    expect(r.value.retries + stats.bad_crc + stats.garbage + stats.partial).to.be.greaterThan(0);
  });

  it('resumes after power failures in the middle of the transfer (torn NVM writes), without starting over', async () => {
    const b = await board(['--fail-after-writes', '25']);
    boards.push(b);
    const l = await link(b.port);
    const image = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13 + 1) & 0xff);
    const r = await loadImage(l, image, { replyTimeoutS: 0.5 });
    await l.close();
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).to.equal(true);
    if (!r.ok) return;
    expect(r.value.board_resets).to.be.greaterThan(2);
    expect(r.value.resumes).to.be.greaterThan(0);
    expect(r.value.resumed_from_bytes).to.be.greaterThan(0);
    // Not started over: far fewer chunks than one restart per reset would need.
    expect(r.value.chunks_sent).to.be.lessThan(2 * Math.ceil(5000 / 64));
    expect(b.boots()).to.be.at.least(r.value.board_resets);
  });

  it('resumes after the reset button is pressed mid-transfer', async () => {
    const b = await board();
    boards.push(b);
    const l = await link(b.port);
    const image = Uint8Array.from({ length: 6400 }, (_, i) => (i * 3) & 0xff);
    let pressed = false;
    const r = await loadImage(l, image, {
      replyTimeoutS: 0.5,
      onProgress: (done) => {
        if (!pressed && done >= 3200) {
          pressed = true;
          b.reset();
        }
      },
    });
    await l.close();
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).to.equal(true);
    if (!r.ok) return;
    expect(r.value.resumes).to.equal(1);
    expect(r.value.resumed_from_bytes).to.be.at.least(3200);
  });

  it('a board that stops answering gives io_timeout, not a hang', async () => {
    const b = await board();
    boards.push(b);
    const l = await link(b.port);
    const image = new Uint8Array(2000).fill(7);
    const r = await loadImage(l, image, {
      replyTimeoutS: 0.3, maxFailures: 6,
      onProgress: (done) => { if (done >= 640) b.freeze(true); },
    });
    await l.close();
    b.freeze(false);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.issues[0]?.code).to.equal('io_timeout');
  });

  // proto_device keeps the image just above the protocol record and its own 128-byte progress record.
  const imageAddr = (): number => protoRecordBytes() + 128;
  const CHECK_CHUNK_BYTES = 64; // INAS_PROTO_CHECK_CHUNK_BYTES (images up to 64 chunks use it as is)

  it('the rolling scrub finds a corrupted byte of a verified image at the boot that reaches its chunk; RUN refused', async () => {
    const dir = tempDir('nvm');
    const nvm = path.join(dir, 'nvm.bin');
    const b = await board([], { nvm });
    boards.push(b);
    const l = await link(b.port);
    const image = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const r = await loadImage(l, image, { replyTimeoutS: 1 });
    expect(r.ok).to.equal(true);
    // Flip one byte of the stored image, then power-cycle: boot k after the load re-checks chunk k-1 only.
    const offset = 500;
    const chunk = Math.floor(offset / CHECK_CHUNK_BYTES);
    expect(existsSync(nvm)).to.equal(true);
    const fd = openSync(nvm, 'r+');
    writeSync(fd, Uint8Array.of(0x5a), 0, 1, imageAddr() + offset);
    closeSync(fd);
    const states: string[] = [];
    for (let k = 0; k <= chunk && states[states.length - 1] !== 'corrupt'; k++) {
      b.reset();
      const boot = await l.waitFor((e) => e.tag === 'BOOT', 5);
      if (!boot.ok) throw new Error(JSON.stringify(boot.issues));
      states.push((boot.value.event as Extract<DeviceEvent, { tag: 'BOOT' }>).model_state);
    }
    expect(states, 'ok until the scrub reaches the chunk, corrupt at that boot').to.deep.equal([...Array<string>(chunk).fill('ok'), 'corrupt']);
    await l.send({ tag: 'RUN', seq: 77, count: 1 });
    const nak = await l.waitFor((e) => e.tag === 'NAK' || e.tag === 'INF', 3);
    // It stays refused at the next boots (the record says corrupt).
    b.reset();
    const again = await l.waitFor((e) => e.tag === 'BOOT', 5);
    await l.close();
    expect(nak.ok && nak.value.event).to.deep.include({ tag: 'NAK', seq: 77, status: 0x5008 });
    expect(again.ok && (again.value.event as Extract<DeviceEvent, { tag: 'BOOT' }>).model_state).to.equal('corrupt');
  });

  it('the verification after a load spans power cycles (a window fits one chunk) and refuses a corrupted byte', async () => {
    // --fail-after-writes 4: each power cycle does 3 NVM writes (the boot count, one chunk's table entry and record),
    // then the 4th is torn. The whole check (2 writes per chunk, 16 chunks) cannot fit in one window.
    const dir = tempDir('nvm');
    const nvm = path.join(dir, 'nvm.bin');
    const b = await board(['--fail-after-writes', '4'], { nvm });
    boards.push(b);
    const bootsSeen: { state: string; afterFlip: boolean; boots: number }[] = [];
    let flipped = false;
    let bootsAtFlip = 0;
    const l = await link(b.port, (e) => {
      if (e.tag === 'BOOT') bootsSeen.push({ state: e.model_state, afterFlip: flipped, boots: b.boots() });
    });
    const image = Uint8Array.from({ length: 1000 }, (_, i) => (i * 5 + 3) & 0xff);
    const corrupted = 900; // chunk 14: checked many power cycles after LDE
    // All bytes are committed (the last chunk ACKed); a bit flips in NVM before LDE starts the check.
    const r = await loadImage(l, image, {
      replyTimeoutS: 0.5,
      maxFailures: 400,
      onProgress: (done) => {
        if (!flipped && done >= image.length) {
          flipped = true;
          bootsAtFlip = b.boots();
          const fd = openSync(nvm, 'r+');
          writeSync(fd, Uint8Array.of(image[corrupted]! ^ 0x10), 0, 1, imageAddr() + corrupted);
          closeSync(fd);
        }
      },
    });
    expect(flipped).to.equal(true);
    // The check ran chunk by chunk over power cycles that print no BOOT (it is not finished), then the boot that
    // finished it reported the image corrupt; the loader then uploaded it again, and that copy checked ok.
    const corrupt = bootsSeen.find((x) => x.afterFlip && x.state !== 'partial');
    expect(corrupt?.state, JSON.stringify(bootsSeen)).to.equal('corrupt');
    expect(corrupt!.boots - bootsAtFlip, 'power cycles the check spanned').to.be.at.least(Math.ceil(image.length / CHECK_CHUNK_BYTES) - 2);
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).to.equal(true);
    await l.send({ tag: 'PING', seq: 9 });
    const pong = await l.waitFor((e) => e.tag === 'PONG', 3);
    await l.close();
    expect(pong.ok && pong.value.event).to.include({ tag: 'PONG', model_state: 'ok' });
  });

  it('the same load without the flipped byte: the check spans power cycles and ends ok', async () => {
    const b = await board(['--fail-after-writes', '4']);
    boards.push(b);
    const l = await link(b.port);
    const image = Uint8Array.from({ length: 1000 }, (_, i) => (i * 5 + 3) & 0xff);
    const r = await loadImage(l, image, { replyTimeoutS: 0.5, maxFailures: 400 });
    const ping = r.ok ? await l.send({ tag: 'PING', seq: 9 }) : null;
    const pong = ping !== null ? await l.waitFor((e) => e.tag === 'PONG', 2) : null;
    await l.close();
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).to.equal(true);
    expect(pong?.ok && pong.value.event).to.include({ tag: 'PONG', model_state: 'ok' });
  });

  it('wrong and busy ports fail with port_unavailable and a clear reason', async () => {
    const missing = await openSerialTransport('/dev/does-not-exist-inas');
    expect(!missing.ok && missing.issues[0]).to.deep.include({ code: 'port_unavailable' });
    expect(!missing.ok && missing.issues[0]?.message).to.match(/no such device/);
    const b = await board();
    boards.push(b);
    const first = await openSerialTransport(b.port);
    const second = await openSerialTransport(b.port);
    if (first.ok) await first.value.close();
    expect(!second.ok && second.issues[0]?.message).to.match(/busy/);
  });

  it('a pty with no board behind it: the loader fails with io_timeout', async () => {
    const dir = tempDir('deadpty');
    const p = spawn('socat', [`pty,raw,echo=0,link=${dir}/port`, `pty,raw,echo=0,link=${dir}/nothing`], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !existsSync(`${dir}/port`); i++) await new Promise((r) => setTimeout(r, 20));
      const l = await link(`${dir}/port`);
      const r = await loadImage(l, new Uint8Array(100), { replyTimeoutS: 0.2, maxFailures: 3 });
      await l.close();
      expect(!r.ok && r.issues[0]?.code).to.equal('io_timeout');
    } finally {
      p.kill();
    }
  });
});
