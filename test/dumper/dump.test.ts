// The dumper: NVM/SRAM plan, weights reordering and CRC, refusals with reasons, and a golden-file test of the
// template output (regenerate the golden files with UPDATE_GOLDEN=1 after an intended template change).
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { C_FILES, crc32, dumpModel, dumpSolution, planMemory, renderDump, weightsImage, type DumpManifest } from '../../src/dumper/index.ts';
import { readSolution } from '../../src/quant/index.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/index.ts';
import { buildNetwork } from '../../src/network/index.ts';
import { DESIGNS, POOL_DESIGNS, makeFixture, poolNetwork, referenceCosts, smallNetwork, writeFixtureSolution } from '../firmware/fixtures.ts';

const GOLDEN_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden');
const PACKAGE_JSON = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'package.json');

/** `#define NAME VALUE` lines of a C header. */
function defines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^#define (\w+) (.+)$/gm)) {
    expect(out.has(m[1]!), `${m[1]} defined twice`).to.equal(false);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

function issuesOf(r: { ok: boolean; issues?: readonly { code: string; path: string; message: string }[] }): { code: string; path: string; message: string }[] {
  expect(r.ok).to.equal(false);
  return [...(r.issues ?? [])];
}

describe('dumper', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'inas-dump-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('crc32 is the standard CRC-32 (the firmware\'s runtime/crc32.c uses the same polynomial)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).to.equal(0xcbf43926);
    expect(crc32(new Uint8Array(0))).to.equal(0);
  });

  it('plans NVM as §5.3 corrected: reserved area, two feature buffers, two psum buffers, packed weights', () => {
    const f = makeFixture(smallNetwork('conv2d'), DESIGNS.conv2d_a);
    const p = planMemory(f.qmodel, f.solution, 'host');
    if (!p.ok) throw new Error(JSON.stringify(p.issues));
    const plan = p.value;
    // Largest feature map: the input 10x10x2 = 200 vs CONV_0 8x8x4 = 256 elements -> 512 bytes.
    expect(plan.fm_buffer_bytes).to.equal(512);
    expect(plan.buf_addr).to.deep.equal([128, 640]);
    // Psums: CONV_0 (2 steps) needs its whole 8x8x4 output in 32 bits.
    expect(plan.psum_elems).to.equal(256);
    expect(plan.psum_addr).to.deep.equal([1152, 2176]);
    expect(plan.weights_addr).to.equal(3200);
    // Ping-pong: layer i reads buffer i mod 2 and writes the other.
    plan.layers.forEach((l, i) => {
      expect(l.ifm_addr).to.equal(plan.buf_addr[i % 2]);
      expect(l.ofm_addr).to.equal(plan.buf_addr[(i + 1) % 2]);
    });
    expect(plan.layers.map((l) => l.w_size_bytes)).to.deep.equal([144, 288, 32, 32, 0, 24]);
    expect(plan.layers.map((l) => l.steps)).to.deep.equal([2, 2, 2, 1, 3, 2]);
    expect(plan.nvm_size_bytes).to.equal(3200 + 144 + 288 + 32 + 32 + 24);
  });

  it('reorders weights from tfjs [kh][kw][n][m] to [kh][kw][m][n] (16- and 8-bit), little-endian', () => {
    for (const bits of [16, 8] as const) {
      const f = makeFixture(smallNetwork('conv2d'), DESIGNS.conv2d_a, { weightBits: bits });
      const p = planMemory(f.qmodel, f.solution, 'host');
      if (!p.ok) throw new Error('plan');
      const img = weightsImage(f.qmodel, p.value);
      const view = new DataView(img.buffer);
      const l = p.value.layers[1]!; // CONV_1: 3x3, 4 -> 4
      const w = f.qmodel.layers[1]!.weights!;
      for (const [kh, kw, n, m] of [[0, 0, 0, 0], [2, 1, 3, 0], [1, 2, 0, 3], [2, 2, 3, 3]] as const) {
        const canonical = w[((kh * 3 + kw) * 4 + n) * 4 + m]!;
        const at = (l.w_addr - p.value.weights_addr) + (bits / 8) * (((kh * 3 + kw) * 4 + m) * 4 + n);
        expect(bits === 16 ? view.getInt16(at, true) : view.getInt8(at)).to.equal(canonical);
      }
    }
  });

  it('writes every file with the CRC32 and size recorded in the manifest, and no temporary files', () => {
    const f = makeFixture(smallNetwork('conv1d'), DESIGNS.conv1d);
    const dir = path.join(root, 'conv1d');
    const r = dumpModel({ ...f, costs: referenceCosts() }, dir, { target: 'host' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as DumpManifest;
    expect(m).to.deep.equal(r.value);
    for (const [name, info] of Object.entries(m.files)) {
      const bytes = readFileSync(path.join(dir, name));
      expect(bytes.length, name).to.equal(info.size_bytes);
      expect(crc32(bytes), name).to.equal(info.crc32);
    }
    expect(crc32(readFileSync(path.join(dir, 'weights.bin')))).to.equal(m.weights.crc32);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).to.deep.equal([]);
    expect(m.settings_digest).to.equal(f.solution.settings_digest);
    expect(readFileSync(path.join(dir, 'model.h'), 'utf8')).to.include(`#define INAS_SETTINGS_DIGEST "${f.solution.settings_digest}"`);
    expect(m.golden.classes_expected).to.have.length(3);
  });

  it('model.h carries the layer table (INAS_L<i>_*) with the manifest\'s values, model.c is built from it, the manifest names the package version', () => {
    const cases = [
      { name: 'conv2d', f: makeFixture(smallNetwork('conv2d'), DESIGNS.conv2d_a) },
      { name: 'pool', f: makeFixture(poolNetwork(), POOL_DESIGNS, { pool: 'avg' }) },
      { name: 'fc8', f: makeFixture(smallNetwork('fc'), DESIGNS.fc, { weightBits: 8 }) },
    ];
    const version = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
    const TYPES: Record<string, string> = { CONV: 'INAS_LAYER_CONV', FC: 'INAS_LAYER_FC', POOL: 'INAS_LAYER_POOL', GAVGPOOL: 'INAS_LAYER_GAP' };
    const ORDERS: Record<string, string> = { reuse_O: 'INAS_ORDER_REUSE_O', reuse_I: 'INAS_ORDER_REUSE_I', reuse_W: 'INAS_ORDER_REUSE_W' };
    let pools = 0;
    for (const { name, f } of cases) {
      const dir = path.join(root, `table-${name}`);
      const r = dumpModel({ ...f, costs: referenceCosts() }, dir, { target: 'host' });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as DumpManifest;
      expect(m.inas_version, name).to.equal(version);
      const plan = planMemory(f.qmodel, f.solution, 'host');
      if (!plan.ok) throw new Error('plan');
      const h = readFileSync(path.join(dir, 'model.h'), 'utf8');
      const d = defines(h);
      expect(d.get('INAS_VERSION')).to.equal(`"${version}"`);
      expect(d.get('INAS_MODEL_NUM_LAYERS')).to.equal(`${m.layers.length}u`);
      // Exactly the layers of the manifest, 25 defines each.
      const layerDefines = [...d.keys()].filter((k) => /^INAS_L\d+_/.test(k));
      expect(layerDefines, name).to.have.length(25 * m.layers.length);
      expect(new Set(layerDefines.map((k) => Number(/^INAS_L(\d+)_/.exec(k)![1]))), name).to.deep.equal(new Set(m.layers.map((_, i) => i)));
      m.layers.forEach((l, i) => {
        const at = `${name} layer ${i} (${l.name})`;
        const g = (field: string): string | undefined => d.get(`INAS_L${i}_${field}`);
        const u = (v: number): string => `${v}u`;
        const dm = /^(\d+)_(\d+)_(\d+)_(\d+)_(reuse_[IOW])_S(\d+)$/.exec(l.design);
        expect(dm, at).to.not.equal(null);
        const [, tr, tc, tm, tn, order, s] = dm!;
        const p = plan.value.layers[i]!;
        expect({
          TYPE: g('TYPE'), ORDER: g('ORDER'), TR: g('TR'), TC: g('TC'), TM: g('TM'), TN: g('TN'), S: g('S'),
          TILES: g('TILES'), PSUM_STEPS: g('PSUM_STEPS'), IFM_ADDR: g('IFM_ADDR'), OFM_ADDR: g('OFM_ADDR'), W_ADDR: g('W_ADDR'), W_SIZE_BYTES: g('W_SIZE_BYTES'),
        }, at).to.deep.equal({
          TYPE: TYPES[l.type], ORDER: ORDERS[order!], TR: `${tr}u`, TC: `${tc}u`, TM: `${tm}u`, TN: `${tn}u`, S: `${s}u`,
          TILES: u(l.tiles), PSUM_STEPS: u(l.psum_steps), IFM_ADDR: u(l.ifm_addr), OFM_ADDR: u(l.ofm_addr), W_ADDR: u(l.w_addr), W_SIZE_BYTES: u(l.w_size_bytes),
        });
        // Shapes, activation and arithmetic: the plan the manifest was written from (the network's shapes).
        const q = f.qmodel.layers[i]!;
        const net = f.qmodel.net.layers[i]!;
        expect({
          IN_H: g('IN_H'), IN_W: g('IN_W'), IN_C: g('IN_C'), OUT_H: g('OUT_H'), OUT_W: g('OUT_W'), OUT_C: g('OUT_C'), K_H: g('K_H'), K_W: g('K_W'),
          RELU: g('RELU'), WEIGHT_BITS: g('WEIGHT_BITS'), SHIFT: g('SHIFT'), POOL_KIND: g('POOL_KIND'),
        }, at).to.deep.equal({
          IN_H: u(net.ifm.h), IN_W: u(net.ifm.w), IN_C: u(net.ifm.ch), OUT_H: u(net.ofm.h), OUT_W: u(net.ofm.w), OUT_C: u(net.ofm.ch),
          K_H: u(p.k_h), K_W: u(p.k_w), RELU: net.relu ? '1u' : '0u', WEIGHT_BITS: u(p.weight_bits),
          SHIFT: q.shift < 0 ? `(${q.shift})` : String(q.shift), POOL_KIND: l.type === 'POOL' ? (q.pool === 'avg' ? 'INAS_POOL_AVG' : 'INAS_POOL_MAX') : '0u',
        });
        if (l.type === 'POOL') pools++;
        if (l.type === 'CONV') expect([g('K_H'), g('K_W')], at).to.deep.equal([u(net.kernel.h), u(net.kernel.w)]);
      });
      expect(d.get('INAS_NVM_OUTPUT_ADDR')).to.equal(`INAS_L${m.layers.length - 1}_OFM_ADDR`);
      // model.c: every field of the table comes from model.h (no literal can drift from it).
      const c = readFileSync(path.join(dir, 'model.c'), 'utf8');
      const table = c.slice(c.indexOf('inas_layers[INAS_MODEL_NUM_LAYERS] = {'), c.indexOf('};'));
      const inits = [...table.matchAll(/\.(\w+) = ([^,}]+)/g)].map((x) => [x[1]!, x[2]!.trim()] as const);
      expect(inits, name).to.have.length(25 * m.layers.length);
      for (const [field, value] of inits) {
        if (field === 'reserved') expect(value).to.equal('0u');
        else expect(value, `${name} .${field}`).to.match(new RegExp(`^INAS_L\\d+_${field.toUpperCase()}$`));
      }
      m.layers.forEach((_, i) => expect(table, name).to.include(`.tr = INAS_L${i}_TR,`).and.include(`.ofm_addr = INAS_L${i}_OFM_ADDR,`));
    }
    expect(pools).to.equal(1);
  });

  it('refuses designs the runtime cannot execute, naming layer, design and reason', () => {
    const net = smallNetwork('conv2d');
    const cases: [readonly (string | null)[], string, RegExp][] = [
      [[null, ...DESIGNS.conv2d_a.slice(1)], 'layers[0].design', /no feasible execution design/],
      [['2_4_2_1_reuse_I_S3', ...DESIGNS.conv2d_a.slice(1)], 'layers[0].design', /S 3 does not divide the 2 iterations/],
      [['2_4_2_3_reuse_I_S2', ...DESIGNS.conv2d_a.slice(1)], 'layers[0].design', /Tn 3 does not divide the 2 input channels/],
      [['3_4_2_1_reuse_I_S2', ...DESIGNS.conv2d_a.slice(1)], 'layers[0].design', /Tr 3 does not divide the 8 output rows/],
      [[...DESIGNS.conv2d_a.slice(0, 4), '2_3_2_1_reuse_I_S1', DESIGNS.conv2d_a[5]!], 'layers[4].design', /GAVGPOOL runs only reuse_O/],
      [[...DESIGNS.conv2d_a.slice(0, 5), '2_1_3_4_reuse_O_S1'], 'layers[5].design', /FC layers need Tr = Tc = 1/],
      [['2x4', ...DESIGNS.conv2d_a.slice(1)], 'layers[0].design', /not of the form/],
    ];
    for (const [designs, where, why] of cases) {
      const f = makeFixture(net, designs);
      const is = issuesOf(planMemory(f.qmodel, f.solution, 'host'));
      expect(is[0]!.code).to.equal('unsupported_design');
      expect(is[0]!.path).to.equal(where);
      expect(is[0]!.message).to.match(why);
    }
  });

  it('refuses a model whose tile buffers exceed the target SRAM, or whose image exceeds the NVM', () => {
    const net = buildNetwork([3, 8], { family: 'conv2d', layers: 1, kernel_sizes: [3], filters: [8], input_shape: [20, 20, 4], classes: 2 });
    if (!net.ok) throw new Error('net');
    // CONV_0 as one 18x18x8 tile: input tile 20*20*4, weights 3*3*8*4, 18*18*8 accumulators and outputs.
    const f = makeFixture(net.value, ['18_18_8_4_reuse_O_S1', '1_18_8_1_reuse_O_S18', '1_1_2_8_reuse_O_S1']);
    expect(planMemory(f.qmodel, f.solution, 'host').ok).to.equal(true);
    const is = issuesOf(planMemory(f.qmodel, f.solution, 'msp430'));
    const need = 2 * (1600 + 288 + 2592) + 4 * 2592;
    expect(is[0]!.code).to.equal('model_too_large');
    expect(is[0]!.message).to.equal(`the tile buffers need ${need} bytes of SRAM (largest: layer CONV_0, design 18_18_8_4_reuse_O_S1); target msp430 has 2304`);
    const small = makeFixture(smallNetwork('conv2d'), DESIGNS.conv2d_a, { settings: { ...DEFAULT_SETTINGS, platform: { ...DEFAULT_SETTINGS.platform, nvm_capacity_bytes: 2000 } } });
    const nv = issuesOf(planMemory(small.qmodel, small.solution, 'host'));
    expect(nv[0]!.code).to.equal('nvm_overflow');
    expect(nv[0]!.message).to.match(/needs 3720 bytes/);
  });

  it('dumps a solution folder (readSolution): golden inputs from its samples; refuses a design-only solution', () => {
    const f = makeFixture(smallNetwork('fc'), DESIGNS.fc, { count: 2 });
    const solDir = path.join(root, 'sol');
    writeFixtureSolution(solDir, f);
    const loaded = readSolution(solDir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const out = path.join(root, 'sol-dump');
    const m = dumpSolution(loaded.value, out, { target: 'host', golden: 5 });
    if (!m.ok) throw new Error(JSON.stringify(m.issues));
    expect(m.value.golden.count).to.equal(2); // capped at the number of samples
    expect(m.value.source).to.equal(loaded.value.path);
    const designOnly = dumpSolution({ ...loaded.value, qmodel: null }, path.join(root, 'none'), { target: 'host' });
    expect(issuesOf(designOnly)[0]!.code).to.equal('unsupported_design');
    expect(existsSync(path.join(root, 'none'))).to.equal(false);
  });

  it('golden files: the rendered C files of a fixed tiny model equal test/dumper/golden/*', () => {
    const net = smallNetwork('fc');
    const f = makeFixture(net, DESIGNS.fc, { seed: 42, count: 1, weightBits: 8 });
    const r = renderDump({ ...f, costs: referenceCosts() }, { target: 'msp430', createdUtc: '2026-01-01T00:00:00.000Z' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    if (process.env['UPDATE_GOLDEN']) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      for (const name of C_FILES) writeFileSync(path.join(GOLDEN_DIR, name), r.value.files.get(name) as string);
    }
    for (const name of C_FILES) {
      expect(r.value.files.get(name), name).to.equal(readFileSync(path.join(GOLDEN_DIR, name), 'utf8'));
    }
  });
});
