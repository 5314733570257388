// The host-side line decoder: real device lines (from the C encoder) mixed with garbage, partial lines, resets.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createLineDecoder, crc16, crc32, encodeCommand, encodeLine, parseDeviceLine, parseHostLine, type Decoded, type DeviceEvent } from '../../src/device/protocol.ts';
import { buildProtoProgram } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const events = (ds: Decoded[]): DeviceEvent[] => ds.flatMap((d) => (d.kind === 'event' ? [d.event] : []));

describe('device/protocol', () => {
  it('CRCs match their published check values', () => {
    expect(crc16(enc('123456789'))).to.equal(0x29b1); // CRC-16/CCITT-FALSE check
    expect(crc32(enc('123456789'))).to.equal(0xcbf43926); // CRC-32/ISO-HDLC check
  });

  it('round-trips every field type through encodeLine / parseDeviceLine', () => {
    const line = encodeLine('RESULT', { inf: 7, sample: 2, class: 1, logits: [-32768, 5, 32767] });
    expect(line).to.match(/^\$RESULT,7,2,1,-32768 5 32767\*[0-9A-F]{4}\r\n$/);
    expect(parseDeviceLine(line)).to.deep.equal({ tag: 'RESULT', inf: 7, sample: 2, class: 1, logits: [-32768, 5, 32767] });
    const ldc = encodeCommand({ tag: 'LDC', seq: 1, offset: 64, len: 3, data: Uint8Array.from([0, 0xab, 0xff]) });
    expect(ldc).to.match(/^\$LDC,1,64,3,00ABFF\*/);
    const back = parseHostLine(ldc);
    expect(back).to.not.be.a('string');
    expect(Array.from((back as { data: Uint8Array }).data)).to.deep.equal([0, 0xab, 0xff]);
  });

  it('rejects a line whose CRC does not match, an unknown tag, and a wrong field count', () => {
    const good = encodeLine('IDLE', { inf: 3 });
    expect(parseDeviceLine(good.replace('3*', '4*'))).to.equal('bad_crc');
    expect(parseDeviceLine(encodeLine('PING', { seq: 3 }))).to.equal('unknown_tag'); // a host line is not a device line
    const body = 'IDLE,1,2';
    const crc = crc16(enc(body)).toString(16).toUpperCase().padStart(4, '0');
    expect(parseDeviceLine(`$${body}*${crc}`)).to.equal('malformed');
    expect(parseDeviceLine('$IDLE,1')).to.equal('partial');
  });

  it('decodes lines split at every byte boundary, ignoring garbage between them', () => {
    const stream = `\x00\xffnoise${encodeLine('INF', { inf: 1, sample: 0 })}junk\r\n${encodeLine('IDLE', { inf: 2 })}`;
    const bytes = enc(stream);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = createLineDecoder();
      const out = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
      expect(events(out).map((e) => e.tag), `cut ${cut}`).to.deep.equal(['INF', 'IDLE']);
      expect(d.stats.garbage, `cut ${cut}`).to.be.greaterThan(0);
      expect(d.stats.lines_ok).to.equal(2);
    }
  });

  it('drops a partial line cut by a reset (a new "$") and reports it', () => {
    const d = createLineDecoder();
    const full = encodeLine('LAYER', { inf: 1, layer: 2, t: 3, ticks: 4, cycles: 1 });
    const out = d.push(enc(full.slice(0, 12) + encodeLine('BOOT', { proto: 1, boot: 2, fw_crc: 1, model_crc: 2, model_state: 'ok', tick_hz: 1000, version: 'v', digest: 'd' })));
    expect(out[0]).to.deep.include({ kind: 'dropped', reason: 'partial' });
    expect(events(out).map((e) => e.tag)).to.deep.equal(['BOOT']);
    expect(d.stats.partial).to.equal(1);
  });

  it('drops a partial line on reset() (disconnect) and decodes the next one', () => {
    const d = createLineDecoder();
    d.push(enc('$IDLE,1'));
    const r = d.reset();
    expect(r).to.have.length(1);
    expect(r[0]).to.deep.include({ kind: 'dropped', reason: 'partial' });
    expect(events(d.push(enc(encodeLine('IDLE', { inf: 2 }))))).to.deep.equal([{ tag: 'IDLE', inf: 2 }]);
  });

  it('drops an overlong line without losing the next', () => {
    const d = createLineDecoder();
    const out = d.push(enc('$LOG,' + 'x'.repeat(1000) + '\r\n' + encodeLine('IDLE', { inf: 5 })));
    expect(out.map((o) => (o.kind === 'event' ? o.event.tag : o.reason))).to.deep.equal(['overlong', 'IDLE']);
  });

  it('survives random byte flips: every event it returns is one that was sent', () => {
    const sent: string[] = [];
    for (let i = 0; i < 200; i++) sent.push(encodeLine('LAYER', { inf: i, layer: i % 7, t: i * 3, ticks: i * 11, cycles: 1 }));
    const bytes = enc(sent.join(''));
    let seed = 12345; // LCG, printed on failure
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < bytes.length; i++) if (rnd() < 0.002) bytes[i] = bytes[i]! ^ (1 << Math.floor(rnd() * 8));
    const d = createLineDecoder();
    const got = events(d.push(bytes)).map((e) => encodeLine(e.tag, e as unknown as Record<string, unknown>));
    const sentSet = new Set(sent);
    for (const g of got) expect(sentSet.has(g), `seed 12345: ${g}`).to.equal(true);
    const dropped = d.stats.bad_crc + d.stats.partial + d.stats.malformed + d.stats.unknown_tag;
    expect(got.length + dropped).to.be.within(195, 205);
    expect(got.length).to.be.greaterThan(150);
  });

  it('parses every line the C encoder prints, with the values it was given', () => {
    const exe = buildProtoProgram('proto_selftest');
    const out = execFileSync(exe, [], { input: '' }).toString();
    const d = createLineDecoder();
    const evs = events(d.push(enc(out)));
    expect(d.stats.lines_ok).to.equal(13);
    expect(d.stats.bad_crc + d.stats.partial + d.stats.malformed + d.stats.garbage).to.equal(0);
    expect(evs[0]).to.deep.equal({ tag: 'BOOT', proto: 1, boot: 4294967295, fw_crc: 0xdeadbeef, model_crc: 1, model_state: 'ok', tick_hz: 1000000, version: '0.1.0', digest: 'abc123' });
    expect(evs.find((e) => e.tag === 'RESULT')).to.deep.equal({ tag: 'RESULT', inf: 3, sample: 1, class: 4, logits: [-32768, -1, 0, 1, 32767] });
    expect(evs.find((e) => e.tag === 'ERR')).to.deep.equal({ tag: 'ERR', status: 0x0102, arg: 77, what: 'bad_ _weird_ text' });
    expect(evs.find((e) => e.tag === 'LDST')).to.deep.equal({ tag: 'LDST', state: 'partial', size: 100, crc: 0xcafef00d, next: 64, capacity: 1000, chunk: 64 });
  });

  it('the C reader decodes what the TS encoder sends and drops corrupted lines', () => {
    const exe = buildProtoProgram('proto_selftest');
    const data = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff);
    const ldc = encodeCommand({ tag: 'LDC', seq: 9, offset: 128, len: 64, data });
    const corrupted = ldc.replace('LDC,9', 'LDC,8');
    const input = `junk${encodeCommand({ tag: 'RUN', seq: 4, count: 10 })}${ldc}${corrupted}$LDQ${encodeCommand({ tag: 'LDB', seq: 1, size: 5000, crc: 0x89abcdef })}`;
    const out = execFileSync(exe, [], { input }).toString();
    const logs = events(createLineDecoder().push(enc(out))).flatMap((e) => (e.tag === 'LOG' ? [e.text] : []));
    const hexCrc = crc32(data).toString(16).toUpperCase().padStart(8, '0');
    expect(logs).to.deep.equal([
      'hello world',
      'cmd=6 u=4/10/0/0 hex=0:00000000',
      `cmd=4 u=9/128/64/0 hex=64:${hexCrc}`,
      'drop=5001',
      'drop=5002', // "$LDQ" interrupted by the next "$"
      `cmd=3 u=1/5000/${0x89abcdef}/0 hex=0:00000000`,
    ]);
  });
});
