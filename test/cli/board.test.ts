// `inas board --virtual`: the first output line is a serial port that answers the protocol.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { createDeviceLink, isVirtualPort, openSerialTransport } from '../../src/device/index.ts';
import { sharedBoard } from './device_board.ts';

describe('cli: inas board --virtual', function () {
  this.timeout(120000);
  it('prints the port path first, then serves the board on it', async () => {
    const { port } = await sharedBoard();
    expect(existsSync(port)).to.equal(true);
    expect(isVirtualPort(port)).to.equal(true);
    const tr = await openSerialTransport(port);
    expect(tr.ok).to.equal(true);
    if (!tr.ok) return;
    const link = createDeviceLink(tr.value);
    await link.send({ tag: 'PING', seq: 5 });
    const r = await link.waitFor((e) => e.tag === 'PONG', 5);
    await link.close();
    expect(r.ok && r.value.event).to.deep.include({ tag: 'PONG', seq: 5, version: 'proto-device' });
  });
});
