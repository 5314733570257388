// `inas flash` against the CLI-served virtual board, and the one-clear-error path for a wrong port (exit 4).
import { expect } from 'chai';
import { inas, sharedBoard } from './device_board.ts';

describe('cli: inas flash', function () {
  this.timeout(120000);
  it('loads and verifies the model image over the port (--json)', async () => {
    const { port, dump } = await sharedBoard();
    const r = inas(['flash', dump, '--port', port, '--force', '--json']);
    expect(r.status, r.stderr).to.equal(0);
    const j = JSON.parse(r.stdout) as { ok: boolean; board: string; programmed: unknown; load: { action: string; size_bytes: number } };
    expect(j).to.deep.include({ ok: true, board: 'virtual', programmed: null });
    expect(j.load).to.deep.include({ action: 'uploaded', size_bytes: 1500 });
  });

  it('a port that does not exist is one clear error with exit 4', async () => {
    const { dump } = await sharedBoard();
    const r = inas(['flash', dump, '--port', '/dev/ttyINAS-nonexistent']);
    expect(r.status).to.equal(4);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.match(/cannot open serial port \/dev\/ttyINAS-nonexistent: no such device/);
  });
});
