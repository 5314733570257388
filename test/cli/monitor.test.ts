// `inas monitor --json`: live decoded events (JSON lines) while the board runs an inference.
import { expect } from 'chai';
import { inas, sharedBoard } from './device_board.ts';

describe('cli: inas monitor', function () {
  this.timeout(120000);
  it('prints decoded events as JSON lines and a summary with the drop counters', async () => {
    const { port } = await sharedBoard();
    const r = inas(['monitor', '--port', port, '--run', '1', '--duration', '3', '--json']);
    expect(r.status, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event?: { tag: string }; summary?: { dropped: Record<string, number> } });
    const tags = lines.flatMap((l) => (l.event ? [l.event.tag] : []));
    expect(tags).to.include.members(['ACK', 'INF', 'LS', 'LAYER', 'OFF', 'BOOT', 'RESULT', 'TOTAL']);
    expect(tags.indexOf('INF')).to.be.lessThan(tags.indexOf('RESULT'));
    const summary = lines.at(-1)?.summary;
    expect(summary?.dropped).to.include.keys(['bad_crc', 'partial', 'garbage']);
  });
});
