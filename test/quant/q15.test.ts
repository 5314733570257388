// The Q15 helpers against the shared test vectors (also used by the firmware's q15.h tests) and a BigInt oracle.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { divRound, quantizeInput, quantizeValue, requant, roundShift, sat16 } from '../../src/quant/index.ts';
import { createRng } from '../../src/settings/index.ts';
import { formatVectors, makeVectors } from './make_q15_vectors.ts';
import { oDivRound, oQuantizeValue, oRequant, oRoundShift } from './oracle.ts';

const FILE = new URL('./q15_vectors.json', import.meta.url);
interface Vectors {
  sat16: { x: number; y: number }[];
  round_shift: { acc: number; s: number; y: number }[];
  requant: { acc: number; s: number; y: number }[];
  div_round: { sum: number; n: number; y: number }[];
  quantize_input: { x: number; f: number; y: number }[];
  mac: { x: number[]; w: number[]; weight_bits: number; acc: number; shift: number; y: number; y_relu: number }[];
}
const V = JSON.parse(readFileSync(FILE, 'utf8')) as Vectors;

describe('quant/q15 helpers', () => {
  it('q15_vectors.json is what the BigInt oracle generates (regenerate with make_q15_vectors.ts)', () => {
    expect(readFileSync(FILE, 'utf8')).to.equal(formatVectors(makeVectors()));
  });

  it('sat16 matches the vectors', () => {
    for (const v of V.sat16) expect(sat16(v.x), `sat16(${v.x})`).to.equal(v.y);
  });

  it('roundShift and requant match the vectors (negative rounding, s = 0, s < 0, s = 31)', () => {
    for (const v of V.round_shift) expect(roundShift(v.acc, v.s), `round_shift(${v.acc}, ${v.s})`).to.equal(v.y);
    for (const v of V.requant) expect(requant(v.acc, v.s), `requant(${v.acc}, ${v.s})`).to.equal(v.y);
    // a few facts of the spec, stated independently of the generator
    expect(roundShift(-5, 1)).to.equal(-2); // −2.5 rounds half up to −2
    expect(roundShift(5, 1)).to.equal(3); // 2.5 → 3
    expect(requant(-20000, -1)).to.equal(-32768);
  });

  it('divRound matches the vectors (half away from zero)', () => {
    for (const v of V.div_round) expect(divRound(v.sum, v.n), `div_round(${v.sum}, ${v.n})`).to.equal(v.y);
    expect(divRound(-7, 2)).to.equal(-4);
    expect(divRound(7, 2)).to.equal(4);
  });

  it('quantizeInput matches the vectors (saturation, half away from zero, f < 0 and f > 15)', () => {
    for (const v of V.quantize_input) expect(quantizeValue(v.x, v.f), `quantize_input(${v.x}, ${v.f})`).to.equal(v.y);
    const xs = Float32Array.from(V.quantize_input.filter((v) => v.f === 15).map((v) => v.x));
    expect(Array.from(quantizeInput(xs, 15))).to.deep.equal(V.quantize_input.filter((v) => v.f === 15).map((v) => v.y));
  });

  it('multiply-accumulate wraps modulo 2^32 (Int32Array accumulation) as the vectors say', () => {
    let wrapped = 0;
    for (const v of V.mac) {
      const acc = new Int32Array(1);
      let exact = 0n;
      for (let i = 0; i < v.x.length; i++) { acc[0] = acc[0]! + v.x[i]! * v.w[i]!; exact += BigInt(v.x[i]!) * BigInt(v.w[i]!); }
      if (exact !== BigInt(v.acc)) wrapped++;
      expect(acc[0]).to.equal(v.acc);
      expect(requant(acc[0]!, v.shift)).to.equal(v.y);
      expect(Math.max(0, requant(acc[0]!, v.shift))).to.equal(v.y_relu);
    }
    expect(wrapped, 'vectors that actually wrap').to.be.greaterThan(3);
  });

  it('agrees with the BigInt oracle on random inputs (seed 7)', () => {
    const rng = createRng(7);
    for (let i = 0; i < 20000; i++) {
      const acc = (rng.int(2 ** 32) - 2 ** 31) >> rng.int(32);
      const s = rng.int(47) - 15;
      expect(roundShift(acc, s), `round_shift(${acc}, ${s})`).to.equal(Number(oRoundShift(BigInt(acc), s)));
      expect(requant(acc, s)).to.equal(Number(oRequant(BigInt(acc), s)));
      const n = 1 + rng.int(1000);
      const sum = (rng.int(2 ** 26) - 2 ** 25);
      expect(divRound(sum, n), `div_round(${sum}, ${n})`).to.equal(Number(oDivRound(BigInt(sum), BigInt(n))));
      const x = Math.fround((rng.next() - 0.5) * 2 ** (rng.int(12) - 4));
      const f = rng.int(30) - 8;
      if (Math.abs(x) >= 2 ** -36) expect(quantizeValue(x, f), `quantize_input(${x}, ${f})`).to.equal(Number(oQuantizeValue(x, f)));
    }
  });
});
