// `inas profile --json --calibrate` against the CLI-served virtual board: the issue-6 JSON shape, reports written.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inas, sharedBoard } from './device_board.ts';

describe('cli: inas profile', function () {
  this.timeout(120000);
  it('prints { inferences, outputs_match, latency_s, layers } and writes the report and a calibrated profile', async () => {
    const { port, dump } = await sharedBoard();
    const r = inas(['profile', dump, '--port', port, '--inferences', '2', '--calibrate', '--json']);
    expect(r.status, r.stderr).to.equal(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { layers: Record<string, unknown>[] };
    expect(Object.keys(j)).to.deep.equal(['inferences', 'outputs_match', 'latency_s', 'layers']);
    expect(j['inferences']).to.equal(2);
    expect(j['outputs_match']).to.equal(true);
    expect(j.layers).to.have.length(4);
    expect(Object.keys(j.layers[0]!)).to.deep.equal(['name', 'latency_s', 'power_cycles']);
    expect(j.layers[0]).to.deep.include({ name: 'layer0', power_cycles: { measured: 1, predicted: 1 } });
    expect(existsSync(path.join(dump, 'profile_report.md'))).to.equal(true);
    const cal = JSON.parse(readFileSync(path.join(dump, 'platform.calibrated.json'), 'utf8')) as { kind: string; fit: { cycle_scale: number } };
    expect(cal.kind).to.equal('inas-platform-calibration');
    expect(cal.fit.cycle_scale).to.be.greaterThan(0);
  });
});
