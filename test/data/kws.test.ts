import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMfcc, encodeWav16, fft, realMagnitudes, KWS_MFCC, loadDataset, loadRawDataset, melFilterbank, parseWav } from '../../src/data/index.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/index.ts';
import { tone, writeSpeechCommands } from './fixtures.ts';

describe('data/kws', () => {
  let tmp: string;
  before(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'inas-kws-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('round-trips 16-bit PCM WAV and rejects a non-WAVE file', () => {
    const t = tone(440, 1000, 0.25);
    const w = parseWav(encodeWav16(t, 16000), 'x.wav');
    if (!w.ok) throw new Error('parse failed');
    expect(w.value.sample_rate_hz).to.equal(16000);
    expect(w.value.samples.length).to.equal(1000);
    for (let i = 0; i < 1000; i += 97) expect(w.value.samples[i]).to.be.closeTo(t[i] ?? 0, 1 / 32768);
    const bad = parseWav(Buffer.from('RIFX0000WAVEfmt '), 'bad.wav');
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.issues[0]?.message).to.contain('not a RIFF/WAVE file');
  });

  it('FFT matches a direct DFT', () => {
    const n = 64;
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + 0.3 * Math.cos(i * 2.1) + (i % 5) * 0.1);
    const im = new Float64Array(n);
    const src = Float64Array.from(re);
    fft(re, im);
    for (const k of [0, 1, 7, 31, 32, 50]) {
      let r = 0, q = 0;
      for (let t = 0; t < n; t++) { r += (src[t] ?? 0) * Math.cos((-2 * Math.PI * k * t) / n); q += (src[t] ?? 0) * Math.sin((-2 * Math.PI * k * t) / n); }
      expect(re[k]).to.be.closeTo(r, 1e-9);
      expect(im[k]).to.be.closeTo(q, 1e-9);
    }
  });

  it('real-input magnitudes (one half-size complex FFT) match a direct DFT', () => {
    const n = 32;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.9) + 0.5 * Math.cos(i * 0.2) - (i % 3) * 0.2);
    const out = new Float64Array(n / 2 + 1);
    realMagnitudes(x, out, { re: new Float64Array(n / 2), im: new Float64Array(n / 2) });
    for (let k = 0; k <= n / 2; k++) {
      let r = 0, q = 0;
      for (let t = 0; t < n; t++) { r += (x[t] ?? 0) * Math.cos((2 * Math.PI * k * t) / n); q -= (x[t] ?? 0) * Math.sin((2 * Math.PI * k * t) / n); }
      expect(out[k]).to.be.closeTo(Math.hypot(r, q), 1e-9);
    }
  });

  it('a 1 kHz tone peaks at FFT bin 64 (1000 Hz · 1024 / 16 kHz) and in the mel filter centred nearest 1 kHz', () => {
    const m = createMfcc();
    const spec = m.spectrum(tone(1000), 0);
    let best = 0;
    for (let b = 0; b < spec.length; b++) if ((spec[b] ?? 0) > (spec[best] ?? 0)) best = b;
    expect(best).to.equal(64);
    const bank = melFilterbank(KWS_MFCC);
    const energies = bank.map((w) => w.reduce((a, v, b) => a + v * (spec[b] ?? 0), 0));
    const top = energies.indexOf(Math.max(...energies));
    const centreHz = (c: number): number => { const w = bank[c]!; let bi = 0; for (let b = 0; b < w.length; b++) if ((w[b] ?? 0) > (w[bi] ?? 0)) bi = b; return (bi * 16000) / 1024; };
    expect(Math.abs(centreHz(top) - 1000)).to.be.lessThan(100);
  });

  it('MFCC: 25 frames × 10 coefficients; different tones give different features; silence is a constant floor', () => {
    const m = createMfcc();
    expect(m.frames).to.equal(25);
    const a = m.compute(tone(300)), b = m.compute(tone(2000)), z = m.compute(new Float32Array(16000));
    expect(a.length).to.equal(250);
    let diff = 0;
    for (let i = 0; i < 250; i++) diff += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    expect(diff / 250).to.be.greaterThan(1);
    // a stationary tone gives (nearly) the same coefficients in every frame
    for (let f = 1; f < 25; f++) expect(a[f * 10 + 1]).to.be.closeTo(a[10 + 1] ?? 0, 0.5);
    // all-zero input: log(1e-6) in every mel channel → c0 = sqrt(2/40)·40·ln(1e-6), others 0
    expect(z[0]).to.be.closeTo(Math.sqrt(2 / 40) * 40 * Math.log(1e-6), 1e-3);
    expect(z[1]).to.be.closeTo(0, 1e-3);
    // a louder tone raises c0 by about sqrt(2/40)·40·ln(4) (×4 amplitude, log of magnitude)
    const loud = m.compute(tone(300, 16000, 0.5)), soft = m.compute(tone(300, 16000, 0.125));
    expect((loud[0] ?? 0) - (soft[0] ?? 0)).to.be.closeTo(Math.sqrt(2 / 40) * 40 * Math.log(4), 0.5);
  });

  it('builds KWS features from a Speech Commands tree: 12 classes, official lists, 10 % silence/unknown, cached', async () => {
    const root = path.join(tmp, 'speech-commands');
    const { counts } = writeSpeechCommands(root, 10);
    const r = loadRawDataset('kws', tmp);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const d = r.value;
    expect(d.input_shape).to.deep.equal([250, 1, 1]);
    expect(d.classes).to.equal(12);
    const expectCount = (n: number): number => n + 2 * Math.ceil(n * 0.1);
    expect(d.train.count).to.equal(expectCount(counts.train));
    expect(d.validation?.count).to.equal(expectCount(counts.validation));
    expect(d.test.count).to.equal(expectCount(counts.test));
    const hist = (y: Int32Array): number[] => { const h = new Array(12).fill(0) as number[]; for (const v of y) h[v] = (h[v] ?? 0) + 1; return h; };
    expect(hist(d.test.y)).to.deep.equal([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    // standardised with train statistics: train features have mean ~0
    let mean = 0;
    for (let i = 0; i < d.train.count; i++) mean += d.train.x[i * 250 + 3] ?? 0;
    expect(Math.abs(mean / d.train.count)).to.be.lessThan(1e-4);
    const cache = path.join(root, '.inas-cache-kws.bin');
    expect(existsSync(cache)).to.equal(true);
    const mtime = statSync(cache).mtimeMs;
    const again = await loadDataset({ ...DEFAULT_SETTINGS.dataset, name: 'kws', dir: tmp });
    if (!again.ok) throw new Error('reload failed');
    expect(statSync(cache).mtimeMs).to.equal(mtime);
    expect(again.value.validation.count).to.equal(expectCount(counts.validation));
    expect(Array.from(again.value.test.x)).to.deep.equal(Array.from(d.test.x));
  });
});
