// The virtual board (host firmware + the shared protocol loop, firmware/proto/board_loop.c) runs exactly the
// inferences it is asked for, also when power fails in the last one — in particular between the engine's final
// commit and the protocol record's count, which used to run one inference too many — and its TOTAL lines report
// the engine's NVM writes: the same number the host firmware's own summary counts for one inference.
import { expect } from 'chai';
import { dumpModel } from '../../src/dumper/index.ts';
import {
  createDeviceLink, flashDump, openSerialTransport, serveVirtualBoard, type DeviceEvent, type DeviceLink, type VirtualBoard,
} from '../../src/device/index.ts';
import { buildFirmware, runHost } from '../../src/firmware/index.ts';
import { DESIGNS, makeFixture, referenceCosts, smallNetwork } from '../firmware/fixtures.ts';
import { tempDir } from './helpers.ts';

type Ev<T extends DeviceEvent['tag']> = Extract<DeviceEvent, { tag: T }>;

interface Board { b: VirtualBoard; log: string[] }

/** Runs `count` inferences (RUN) and collects every event until IDLE reports them all and the line stays quiet. */
async function runQueue(l: DeviceLink, count: number, timeoutS = 30): Promise<DeviceEvent[]> {
  const events: DeviceEvent[] = [];
  const s = await l.send({ tag: 'RUN', seq: 1, count });
  if (!s.ok) throw new Error(JSON.stringify(s.issues));
  const end = Date.now() + timeoutS * 1000;
  let idle = false;
  while (Date.now() < end) {
    // After IDLE, keep listening a little: an extra inference would show up here.
    const r = await l.waitFor(() => true, idle ? 0.5 : Math.max(0.1, (end - Date.now()) / 1000));
    if (!r.ok) {
      if (idle) break;
      throw new Error(JSON.stringify(r.issues));
    }
    events.push(r.value.event);
    if (r.value.event.tag === 'IDLE' && r.value.event.inf >= count) idle = true;
  }
  return events;
}

const only = <T extends DeviceEvent['tag']>(evs: DeviceEvent[], tag: T): Ev<T>[] => evs.filter((e): e is Ev<T> => e.tag === tag);

describe('device/virtual board: exactly N inferences, and NVM writes in TOTAL', function () {
  this.timeout(120_000);
  const boards: VirtualBoard[] = [];
  let dump: string;
  after(async () => {
    for (const b of boards) await b.stop();
  });

  before(() => {
    const fixture = makeFixture(smallNetwork('conv2d'), DESIGNS.conv2d_a, { seed: 3, count: 3, weightBits: 16 });
    dump = tempDir('runs-dump');
    const d = dumpModel({ ...fixture, costs: referenceCosts() }, dump, { target: 'host' });
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
  });

  async function start(args: string[]): Promise<Board & { link: DeviceLink }> {
    const log: string[] = [];
    const s = await serveVirtualBoard(dump, { offTimeS: 0.005, timeScale: 0.0001, firmwareArgs: [...args, '--time-scale', '0.0001'], log: (x) => log.push(x) });
    if (!s.ok) throw new Error(JSON.stringify(s.issues));
    boards.push(s.value);
    const f = await flashDump(dump, { port: s.value.port });
    if (!f.ok) throw new Error(JSON.stringify(f.issues));
    const tr = await openSerialTransport(s.value.port);
    if (!tr.ok) throw new Error(JSON.stringify(tr.issues));
    return { b: s.value, log, link: createDeviceLink(tr.value) };
  }

  /** The board's last `inas_board: nvm_writes=… power_failures=…` stderr line (printed when it goes idle). */
  async function counters(log: string[]): Promise<{ writes: number; failures: number }> {
    for (let i = 0; i < 100; i++) {
      const last = [...log].reverse().map((x) => /nvm_writes=(\d+) power_failures=(\d+)/.exec(x)).find((m) => m !== null);
      if (last && i > 2) return { writes: Number(last[1]), failures: Number(last[2]) };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no counters in the board log:\n${log.join('\n')}`);
  }

  function expectExactly(events: DeviceEvent[], from: number, count: number): void {
    const results = only(events, 'RESULT').map((r) => r.inf);
    expect([...new Set(results)].sort((a, b) => a - b), 'RESULT inferences').to.deep.equal(Array.from({ length: count }, (_, i) => from + i));
    expect(only(events, 'TOTAL').map((t) => t.inf), 'one TOTAL per inference').to.deep.equal(Array.from({ length: count }, (_, i) => from + i));
    expect(only(events, 'IDLE').map((i) => i.inf), 'IDLE').to.deep.equal([from + count]);
  }

  it('TOTAL.nvm_writes equals the host firmware summary for the same inference (no failures)', async () => {
    const host = await buildFirmware(dump, { target: 'host' });
    if (!host.ok) throw new Error(JSON.stringify(host.issues));
    const h = await runHost(host.value.binary, { failures: { kind: 'none' }, inferences: 1, events: false });
    if (!h.ok) throw new Error(JSON.stringify(h.issues));
    const { link } = await start(['--failures', 'none']);
    const events = await runQueue(link, 2);
    await link.close();
    expectExactly(events, 0, 2);
    const totals = only(events, 'TOTAL');
    expect(h.value.summary.nvm_writes).to.be.greaterThan(0);
    expect(totals[0]!.nvm_writes, 'inference 0 vs inas_host --inferences 1').to.equal(h.value.summary.nvm_writes);
    expect(totals[1]!.nvm_writes, 'every inference does the same writes').to.equal(h.value.summary.nvm_writes);
  });

  it('a power failure at the record write that counts the last inference: no extra inference (at:K sweep)', async () => {
    // Reference session: writes until the queue is done (the last counted write is the record that counts the
    // last inference; the ones before are the engine's final commit and its last data writes).
    const ref = await start(['--failures', 'none']);
    const events = await runQueue(ref.link, 2);
    await ref.link.close();
    expectExactly(events, 0, 2);
    const w = (await counters(ref.log)).writes;
    for (const k of [w, w - 1, w - 2]) {
      const s = await start(['--failures', `at:${k}`]);
      const ev = await runQueue(s.link, 2);
      await s.link.close();
      const boots = only(ev, 'BOOT');
      expect(boots.length, `at:${k}: one power failure`).to.equal(1);
      expectExactly(ev, 0, 2);
      expect((await counters(s.log)).failures).to.equal(1);
    }
  });

  it('energy failures: RUN N gives exactly N results and totals, with NVM writes counted over the power cycles', async () => {
    const { link, log } = await start(['--failures', 'energy']);
    const events = await runQueue(link, 4, 60);
    await link.close();
    expectExactly(events, 0, 4);
    const c = await counters(log);
    expect(c.failures, 'power failures happened').to.be.greaterThan(0);
    expect(only(events, 'OFF').length).to.be.within(1, c.failures);
    for (const t of only(events, 'TOTAL')) {
      expect(t.nvm_writes).to.be.greaterThan(0);
      expect(t.cycles).to.be.at.least(1);
    }
  });
});
