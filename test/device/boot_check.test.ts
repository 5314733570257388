// The boot-time image check on the virtual board (host firmware + firmware/proto/board_loop.c) charged to the
// simulated power (--charge-boot): the chunked verification after the load and the one-chunk scrub at every later
// boot run under the energy model's power failures, and the board still completes every inference bit-exactly.
// (The verification resuming across power cycles that each fit one chunk, and the scrub catching a corrupted byte,
// are tested with proto_device, which runs the same inas_proto.c: virtual_board.test.ts.)
import { expect } from 'chai';
import { dumpModel } from '../../src/dumper/index.ts';
import {
  createDeviceLink, flashDump, openSerialTransport, serveVirtualBoard, type DeviceEvent, type VirtualBoard,
} from '../../src/device/index.ts';
import { referenceInference } from '../../src/quant/index.ts';
import { DESIGNS, makeFixture, referenceCosts, smallNetwork, type Fixture } from '../firmware/fixtures.ts';
import { tempDir } from './helpers.ts';

type Ev<T extends DeviceEvent['tag']> = Extract<DeviceEvent, { tag: T }>;
const only = <T extends DeviceEvent['tag']>(evs: DeviceEvent[], tag: T): Ev<T>[] => evs.filter((e): e is Ev<T> => e.tag === tag);

describe('device/virtual board: bounded boot-time image check under power failures (--charge-boot)', function () {
  this.timeout(120_000);
  const boards: VirtualBoard[] = [];
  let dump: string;
  let fixture: Fixture;
  const count = 3;
  after(async () => {
    for (const b of boards) await b.stop();
  });

  before(() => {
    fixture = makeFixture(smallNetwork('conv2d'), DESIGNS.conv2d_a, { seed: 3, count, weightBits: 16 });
    dump = tempDir('boot-check-dump');
    const d = dumpModel({ ...fixture, costs: referenceCosts() }, dump, { target: 'host' });
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
  });

  async function session(failures: string): Promise<{ events: DeviceEvent[]; log: string[] }> {
    const log: string[] = [];
    const s = await serveVirtualBoard(dump, {
      offTimeS: 0.002, timeScale: 0.0001, firmwareArgs: ['--failures', failures, '--charge-boot', '--time-scale', '0.0001'], log: (x) => log.push(x),
    });
    if (!s.ok) throw new Error(JSON.stringify(s.issues));
    boards.push(s.value);
    const events: DeviceEvent[] = [];
    const f = await flashDump(dump, { port: s.value.port, replyTimeoutS: 0.5 });
    if (!f.ok) throw new Error(JSON.stringify(f.issues));
    const tr = await openSerialTransport(s.value.port);
    if (!tr.ok) throw new Error(JSON.stringify(tr.issues));
    const l = createDeviceLink(tr.value);
    const sent = await l.send({ tag: 'RUN', seq: 1, count });
    if (!sent.ok) throw new Error(JSON.stringify(sent.issues));
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      const r = await l.waitFor(() => true, Math.max(0.1, (end - Date.now()) / 1000));
      if (!r.ok) break;
      events.push(r.value.event);
      if (r.value.event.tag === 'IDLE' && r.value.event.inf >= count) break;
    }
    await l.close();
    return { events, log };
  }

  function expectBitExact(events: DeviceEvent[]): void {
    const results = only(events, 'RESULT');
    expect([...new Set(results.map((r) => r.inf))].sort((a, b) => a - b)).to.deep.equal([...Array(count).keys()]);
    for (const r of results) {
      const ref = referenceInference(fixture.qmodel, fixture.inputs[r.inf % count]!);
      expect(r.logits, `inference ${r.inf}`).to.deep.equal([...ref.logits]);
    }
    expect(only(events, 'TOTAL').map((t) => t.inf)).to.deep.equal([...Array(count).keys()]);
  }

  it('energy failures with the check charged: every inference bit-exact', async () => {
    const { events, log } = await session('energy');
    expectBitExact(events);
    expect(log.some((x) => /power_failures=[1-9]/.test(x)), 'power failures happened').to.equal(true);
    const boots = only(events, 'BOOT');
    expect(boots.length, 'power cycles during the inferences').to.be.greaterThan(0);
    expect(boots.every((b) => b.model_state === 'ok'), 'the scrub at each boot finds the image intact').to.equal(true);
  });
});
