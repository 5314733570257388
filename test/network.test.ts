import { expect } from 'chai';
import { buildNetwork, checkNvm, networkStats, parseArch } from '../src/network/index.ts';
import { DEFAULT_SETTINGS, type SearchSpaceSettings } from '../src/settings/index.ts';

const cifar: SearchSpaceSettings = DEFAULT_SETTINGS.search_space;
const har: SearchSpaceSettings = { family: 'conv1d', layers: 3, kernel_sizes: [1, 3, 5, 7], filters: [4, 8, 16, 24], input_shape: [128, 1, 9], classes: 6 };
const kws: SearchSpaceSettings = { family: 'fc', layers: 4, kernel_sizes: [], filters: [48, 64, 96, 128], input_shape: [250, 1, 1], classes: 12 };

describe('network/ir', () => {
  it('builds the cifar cap01 ts3 network as the original (§1.14, §5.3)', () => {
    const r = buildNetwork([5, 4, 3, 16, 7, 16, 7, 24, 7, 24], cifar);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const names = r.value.layers.map((l) => l.name);
    expect(names).to.deep.equal(['CONV_0', 'CONV_1', 'CONV_2', 'CONV_3', 'CONV_4', 'GAVGPOOL_0', 'FC_END']);
    const c1 = r.value.layers[1]!;
    expect(c1.ifm).to.deep.equal({ n: 1, ch: 4, h: 28, w: 28 });
    expect(c1.kernel).to.deep.equal({ n: 16, ch: 4, h: 3, w: 3 });
    expect(c1.ofm).to.deep.equal({ n: 1, ch: 16, h: 26, w: 26 });
    const gap = r.value.layers[5]!;
    expect(gap.ifm).to.deep.equal({ n: 1, ch: 24, h: 8, w: 8 });
    expect(r.value.layers[6]!.kernel).to.deep.equal({ n: 10, ch: 24, h: 1, w: 1 });
    // max OFM 26·26·16 = 10816 elements (§5.3 worked check: 21 632 bytes)
    expect(networkStats(r.value).max_fm_elements * 2).to.equal(21632);
  });
  it('builds conv1d (HAR) and fc (KWS) networks', () => {
    const h = buildNetwork([5, 8, 3, 24, 5, 16], har);
    if (!h.ok) throw new Error('har');
    expect(h.value.layers[0]!.ifm).to.deep.equal({ n: 1, ch: 9, h: 128, w: 1 });
    expect(h.value.layers[0]!.kernel).to.deep.equal({ n: 8, ch: 9, h: 5, w: 1 });
    expect(h.value.layers[3]!.name).to.equal('GAVGPOOL_0');
    const k = buildNetwork([96, 128, 48, 48], kws);
    if (!k.ok) throw new Error('kws');
    expect(k.value.layers.map((l) => l.name)).to.deep.equal(['FC_0', 'FC_1', 'FC_2', 'FC_3', 'FC_END']);
    expect(k.value.layers[0]!.ifm).to.deep.equal({ n: 1, ch: 1, h: 250, w: 1 });
    expect(k.value.layers[0]!.kernel).to.deep.equal({ n: 96, ch: 1, h: 250, w: 1 });
    expect(k.value.layers[1]!.kernel).to.deep.equal({ n: 128, ch: 96, h: 1, w: 1 });
  });
  it('rejects kernels not smaller than their input, wrong lengths and values outside the space', () => {
    const mnist = { ...cifar, input_shape: [28, 28, 1] };
    const r = buildNetwork([7, 4, 7, 4, 7, 4, 7, 4, 7, 4], mnist);
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.issues[0]!.code).to.equal('kernel_too_large');
      expect(r.issues[0]!.message).to.match(/CONV_4: kernel 7 is not smaller than its 4x4 input/);
    }
    const short = buildNetwork([5, 4], cifar);
    expect(!short.ok && short.issues[0]!.code).to.equal('invalid_arch');
    const out = buildNetwork([2, 4, 3, 16, 7, 16, 7, 24, 7, 24], cifar);
    expect(!out.ok && out.issues[0]!.message).to.match(/kernel size 2 is not in the search space/);
    expect(parseArch('5,x').ok).to.equal(false);
    expect(parseArch('[5, 4, 3]')).to.deep.equal({ ok: true, value: [5, 4, 3] });
  });
  it('checks NVM capacity', () => {
    const r = buildNetwork([96, 128, 48, 48], kws);
    if (!r.ok) throw new Error('kws');
    expect(checkNvm(r.value, 2, 1_000_000).ok).to.equal(true);
    const tiny = checkNvm(r.value, 2, 1000);
    expect(!tiny.ok && tiny.issues[0]!.code).to.equal('nvm_overflow');
  });
});
