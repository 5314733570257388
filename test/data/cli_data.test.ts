import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeIdx } from './fixtures.ts';
import { startServer, type TestServer } from './server.ts';

function inas(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['scripts/inas.mjs', ...args], { env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('cli: inas data', function () {
  // Each spawn starts tsx (seconds on a loaded 2-core machine); two spawns per test.
  this.timeout(300000);
  let tmp: string;
  let srv: TestServer;
  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'inas-cli-data-'));
    srv = await startServer();
    writeIdx(path.join(tmp, 'src'), 20, 10, true);
    for (const f of readdirSync(path.join(tmp, 'src'))) srv.files.set(f, readFileSync(path.join(tmp, 'src', f)));
  });
  after(async () => {
    await srv.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('fetches MNIST from a mirror given by INAS_DATA_MIRROR into INAS_DATA, then lists it as present', async () => {
    const dataDir = path.join(tmp, 'data');
    const sums = readdirSync(path.join(tmp, 'src')).map((f) => `${f}=md5:${createHash('md5').update(readFileSync(path.join(tmp, 'src', f))).digest('hex')}`);
    const r = await inas(['data', 'fetch', 'mnist', '--json', ...sums.flatMap((s) => ['--checksum', s])], { INAS_DATA: dataDir, INAS_DATA_MIRROR: srv.url });
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; dir: string; files: { verified: string }[] };
    expect(out.dir).to.equal(path.join(dataDir, 'mnist'));
    expect(out.files.map((f) => f.verified)).to.deep.equal(['md5', 'md5', 'md5', 'md5']);
    const l = await inas(['data', 'list', '--json'], { INAS_DATA: dataDir });
    expect(l.status).to.equal(0);
    const list = JSON.parse(l.stdout) as { data_dir: string; datasets: { name: string; present: boolean; found: string | null; fetch: string | null }[] };
    expect(list.data_dir).to.equal(dataDir);
    const byName = Object.fromEntries(list.datasets.map((d) => [d.name, d]));
    expect(byName['mnist']?.found).to.equal(path.join(dataDir, 'mnist'));
    expect(byName['cifar10']).to.include({ present: false, fetch: 'inas data fetch cifar10' });
  });

  it('exits 2 with one line for a checksum mismatch (the official MD5 against our files)', async () => {
    const mm = await inas(['data', 'fetch', 'mnist', '--dir', path.join(tmp, 'd2'), '--mirror', srv.url]);
    expect(mm.status).to.equal(2);
    expect(mm.stderr.trim().split('\n').filter((l) => l.startsWith('inas: '))).to.have.length(1);
    expect(mm.stderr).to.match(/inas: .*train-images-idx3-ubyte\.gz: md5 of train-images-idx3-ubyte\.gz \(\d+ bytes\) is [0-9a-f]{32}, expected f68b3c2dcbeaaa9fbdd348bbdeb94873/);
  });
});
