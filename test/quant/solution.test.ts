// Solution folders: round trip through real files, and one clear issue for each kind of damage.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildNetwork, type Network } from '../../src/network/index.ts';
import {
  encodeWeights, parseSolution, quantizeInput, quantizeModel, quantSection, readSolution, referenceInference, writeSolution,
  type QModel, type SolutionDraft,
} from '../../src/quant/index.ts';
import { createRng, DEFAULT_SETTINGS, settingsDigest, type InasSettings } from '../../src/settings/index.ts';

function setup(bits: 16 | 8): { net: Network; q: QModel; draft: SolutionDraft; x: Float32Array; y: Int32Array } {
  const settings: InasSettings = { ...DEFAULT_SETTINGS, search_space: { ...DEFAULT_SETTINGS.search_space, family: 'conv2d', layers: 2, input_shape: [8, 8, 1], classes: 3 } };
  const r = buildNetwork([3, 4, 3, 8], settings.search_space);
  if (!r.ok) throw new Error('net');
  const net = r.value;
  const rng = createRng(3);
  const weights = net.layers.filter((l) => l.type !== 'GAVGPOOL').map((l) =>
    Float32Array.from({ length: l.kernel.n * l.kernel.ch * l.kernel.h * l.kernel.w }, () => rng.normal() * 0.3));
  const x = Float32Array.from({ length: 5 * 64 }, () => rng.next());
  const y = Int32Array.from({ length: 5 }, () => rng.int(3));
  const q = quantizeModel(net, weights, x, { weightBits: bits });
  const draft: SolutionDraft = {
    schema_version: 1, kind: 'inas-solution', inas_version: '0.1.0', created_utc: new Date().toISOString(),
    settings_digest: settingsDigest(settings), settings, family: 'conv2d', arch: [3, 4, 3, 8], input_shape: [8, 8, 1], classes: 3,
    power: 'int', compat: 'tecs21', feasible: true,
    layers: net.layers.map((l) => ({ name: l.name, type: l.type, design: '2_2_4_1_reuse_I_S1', latency_s: 0.5, energy_per_cycle_j: 1e-4, power_cycles: 2, vm_bytes: 100 })),
    predicted: { latency_s: 1.5, energy_j: 3e-4, power_cycles: 6 }, accuracy: { float: 0.9, q15: 0.89 }, quant: quantSection(q),
  };
  return { net, q, draft, x, y };
}

describe('quant/solution files', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'inas-sol-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const bits of [16, 8] as const) {
    it(`round trip (${bits}-bit weights): weights, samples and reference outputs come back identical`, () => {
      const { q, draft, x, y } = setup(bits);
      const w = writeSolution(dir, draft, encodeWeights(q), { x, y, count: 5 });
      expect(w.ok, JSON.stringify(w)).to.equal(true);
      expect(readdirSync(dir).sort()).to.deep.equal(['samples.bin', 'solution.json', 'weights.bin']);
      const r = readSolution(dir);
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      const back = r.value;
      expect(back.path).to.equal(path.join(dir, 'solution.json'));
      expect(back.solution.weights?.format).to.equal('inas-q-v1');
      expect(back.qmodel!.layers.map((l) => l.weights && Array.from(l.weights))).to.deep.equal(q.layers.map((l) => l.weights && Array.from(l.weights)));
      expect(back.qmodel!.layers.map((l) => l.weights?.constructor.name ?? null)).to.deep.equal(q.layers.map((l) => l.weights?.constructor.name ?? null));
      expect(Array.from(back.samples!.x)).to.deep.equal(Array.from(x));
      expect(Array.from(back.samples!.y)).to.deep.equal(Array.from(y));
      for (let s = 0; s < 5; s++) {
        const input = quantizeInput(x.subarray(s * 64, (s + 1) * 64), q.input_frac);
        expect(Array.from(referenceInference(back.qmodel!, input).logits)).to.deep.equal(Array.from(referenceInference(q, input).logits));
      }
      // The file size is what the spec says: int16 → 2 bytes per weight; int8 → 1 byte, blocks padded to even.
      const counts = q.layers.map((l) => l.weights_count);
      const expected = counts.reduce((a, c) => a + (bits === 16 ? 2 * c : c + (c % 2)), 0);
      expect(readFileSync(path.join(dir, 'weights.bin')).length).to.equal(expected);
    });
  }

  it('a design-only solution (no weights, no samples) round-trips with qmodel null', () => {
    const { draft } = setup(16);
    const w = writeSolution(dir, { ...draft, quant: null, accuracy: { float: null, q15: null } }, null, null);
    expect(w.ok).to.equal(true);
    const r = readSolution(path.join(dir, 'solution.json'));
    expect(r.ok && r.value.qmodel === null && r.value.samples === null).to.equal(true);
  });

  it('corrupt, truncated or missing weight and sample files give one clear issue each', () => {
    const { q, draft, x, y } = setup(16);
    writeSolution(dir, draft, encodeWeights(q), { x, y, count: 5 });
    const wfile = path.join(dir, 'weights.bin');
    const good = readFileSync(wfile);
    const flipped = Buffer.from(good); flipped[3] = (flipped[3] ?? 0) ^ 0x10;
    writeFileSync(wfile, flipped);
    let r = readSolution(dir);
    expect(!r.ok && r.issues[0]!.code).to.equal('checksum_mismatch');
    expect(!r.ok && r.issues[0]!.message).to.match(/weights file is corrupt: sha256 [0-9a-f]{64} does not match/);
    truncateSync(wfile, good.length - 2);
    r = readSolution(dir);
    expect(!r.ok && r.issues[0]!.code).to.equal('invalid_file');
    expect(!r.ok && r.issues[0]!.message).to.contain(`has ${good.length - 2} bytes`);
    unlinkSync(wfile);
    r = readSolution(dir);
    expect(!r.ok && r.issues[0]!.code).to.equal('file_not_found');
    expect(!r.ok && r.issues[0]!.path).to.equal(wfile);
    writeFileSync(wfile, good);
    expect(readSolution(dir).ok).to.equal(true);
    const sfile = path.join(dir, 'samples.bin');
    const sgood = readFileSync(sfile);
    const sbad = Buffer.from(sgood); sbad[0] = (sbad[0] ?? 0) ^ 1;
    writeFileSync(sfile, sbad);
    r = readSolution(dir);
    expect(!r.ok && r.issues[0]!.code).to.equal('checksum_mismatch');
  });

  it('bad JSON, schema violations and a wrong settings digest are rejected with the field named', () => {
    const { q, draft } = setup(16);
    writeSolution(dir, draft, encodeWeights(q), null);
    const file = path.join(dir, 'solution.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, 100));
    let r = readSolution(dir);
    expect(!r.ok && r.issues[0]!.code).to.equal('invalid_json');
    const obj = JSON.parse(text) as Record<string, unknown>;
    const bad1 = parseSolution({ ...obj, classes: 1 }, 'x.json');
    expect(!bad1.ok && bad1.issues[0]!.path).to.equal('x.json: /classes');
    const { feasible: _f, ...noFeasible } = obj;
    const bad2 = parseSolution(noFeasible, 'x.json');
    expect(!bad2.ok && bad2.issues[0]!.message).to.contain('missing required field "feasible"');
    const bad3 = parseSolution({ ...obj, settings_digest: '0'.repeat(64) }, 'x.json');
    expect(!bad3.ok && bad3.issues[0]!.path).to.equal('x.json: /settings_digest');
    const badLayers = (obj['layers'] as Record<string, unknown>[]).map((l, i) => (i === 0 ? { ...l, design: 'fast' } : l));
    const bad4 = parseSolution({ ...obj, layers: badLayers }, 'x.json');
    expect(!bad4.ok && bad4.issues[0]!.path).to.equal('x.json: /layers/0/design');
    const badSettings = { ...(obj['settings'] as Record<string, unknown>), training: { epochs: -3 } };
    const bad5 = parseSolution({ ...obj, settings: badSettings }, 'x.json');
    expect(bad5.ok).to.equal(false);
    r = readSolution(path.join(dir, 'nope'));
    expect(!r.ok && r.issues[0]!.code).to.equal('file_not_found');
  });

  it('refuses to write an invalid solution and leaves nothing behind', () => {
    const { q, draft } = setup(16);
    const out = path.join(dir, 'sub');
    const w = writeSolution(out, { ...draft, classes: 0 }, encodeWeights(q), null);
    expect(w.ok).to.equal(false);
    expect(existsSync(out)).to.equal(false);
  });
});
