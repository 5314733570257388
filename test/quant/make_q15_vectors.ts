/**
 * Generates test/quant/q15_vectors.json from the BigInt oracle (oracle.ts): the test vectors of the Q15 helpers,
 * shared by the TS reference (test/quant/q15.test.ts) and the firmware's q15.h tests.
 * Run: `npx tsx test/quant/make_q15_vectors.ts > test/quant/q15_vectors.json`. q15.test.ts checks the file is current.
 */
import { createRng } from '../../src/settings/index.ts';
import { oDivRound, oMacWrap, oQuantizeValue, oRequant, oRoundShift, oSat16 } from './oracle.ts';

export function makeVectors(): unknown {
  const I32_MAX = 2147483647, I32_MIN = -2147483648;
  const sat16 = [0, 1, -1, 32767, 32768, -32768, -32769, 100000, -100000, I32_MAX, I32_MIN, 2 ** 46, -(2 ** 46)]
    .map((x) => ({ x, y: Number(oSat16(BigInt(x))) }));
  const shiftCases: [number, number][] = [
    [5, 1], [-5, 1], [3, 1], [-3, 1], [1, 1], [-1, 1], [2, 1], [-2, 1], [0, 1],
    [16, 5], [15, 5], [-16, 5], [-17, 5], [47, 5], [48, 5], [-48, 5], [-49, 5],
    [I32_MAX, 1], [I32_MIN, 1], [I32_MAX, 31], [I32_MIN, 31], [1073741824, 31], [1073741823, 31], [-1073741824, 31],
    [-1073741825, 31], [I32_MAX, 16], [I32_MIN, 16], [32767 * 32767, 15], [-(32768 * 32767), 15], [1 << 30, 30],
    [12345, 0], [-12345, 0], [40000, 0], [-40000, 0], [3, -2], [-3, -2], [-20000, -1], [20000, -1], [16383, -1], [16384, -1],
    [-16384, -1], [-16385, -1], [1, -15], [-1, -15], [2, -15], [I32_MAX, -15], [I32_MIN, -15],
  ];
  const round_shift = shiftCases.map(([acc, s]) => ({ acc, s, y: Number(oRoundShift(BigInt(acc), s)) }));
  const requant = shiftCases.map(([acc, s]) => ({ acc, s, y: Number(oRequant(BigInt(acc), s)) }));
  const divCases: [number, number][] = [
    [7, 2], [-7, 2], [5, 2], [-5, 2], [4, 3], [5, 3], [-4, 3], [-5, 3], [0, 7], [1, 1], [-1, 1], [1, 3], [-1, 3],
    [2, 4], [-2, 4], [6, 4], [-6, 4], [3, 4], [-3, 4], [100, 25], [-32768 * 65535, 65535], [32767 * 65535, 65535],
    [2147450880, 65535], [-2147450880, 65535], [1000, 49], [-1000, 49], [1024, 49], [-1024, 49], [12, 576], [288, 576], [-288, 576], [287, 576],
  ];
  const div_round = divCases.map(([sum, n]) => ({ sum, n, y: Number(oDivRound(BigInt(sum), BigInt(n))) }));
  const qCases: [number, number][] = [
    [0, 15], [0.5, 15], [1, 15], [-1, 15], [-1.5, 15], [0.1, 14], [-0.1, 14], [2 ** -16, 15], [-(2 ** -16), 15],
    [3 * 2 ** -17, 15], [-3 * 2 ** -17, 15], [3, -1], [-3, -1], [5, -2], [-6, -2], [1 / 3, 17], [-1 / 3, 17],
    [0.999969482421875, 15], [-0.999969482421875, 15], [2.5, 0], [-2.5, 0], [1e6, 0], [-1e6, 0], [0.75, 20], [-0.75, 20],
    [1.2345678, 12], [-1.2345678, 12], [255, 7], [255, 6],
  ];
  const quantize_input = qCases.map(([x0, f]) => {
    const x = Math.fround(x0);
    return { x, f, y: Number(oQuantizeValue(x, f)) };
  });
  // Multiply-accumulate with wrap: products int16 × int16 (or × int8), summed modulo 2^32, then requant and ReLU.
  const rng = createRng(20240515);
  const mac: unknown[] = [];
  const int16 = (): number => rng.int(65536) - 32768;
  for (let t = 0; t < 12; t++) {
    const n = [1, 2, 3, 6, 8, 16, 64, 7, 9, 33, 5, 100][t]!;
    const big = t % 3 !== 2; // large values wrap; small ones do not
    const int8w = t >= 9;
    // Large same-signed products make the sum leave the int32 range (it wraps); the others stay small.
    const sx = t % 2 ? -1 : 1, sw = t % 4 < 2 ? 1 : -1;
    const large = (sign: number): number => (t === 4 ? int16() : sign * (16384 + rng.int(16384)) - (sign < 0 ? 1 : 0));
    const x = Array.from({ length: n }, () => (big ? large(sx) : rng.int(2001) - 1000));
    const w = Array.from({ length: n }, () => (int8w ? sw * (64 + rng.int(64)) : big ? large(sw) : rng.int(2001) - 1000));
    if (t === 0) { x[0] = -32768; w[0] = -32768; }
    if (t === 1) { x[0] = -32768; w[0] = -32768; x[1] = -32768; w[1] = -32768; }
    const acc = oMacWrap(x, w);
    const s = [15, 16, 0, -2, 31, 12, 20, 1, 8, 14, 3, 10][t]!;
    const y = oRequant(acc, s);
    mac.push({ x, w, weight_bits: int8w ? 8 : 16, acc: Number(acc), shift: s, y: Number(y), y_relu: Number(y < 0n ? 0n : y) });
  }
  return {
    spec: 'firmware/Q15.md',
    generator: 'test/quant/make_q15_vectors.ts (BigInt oracle)',
    sat16, round_shift, requant, div_round, quantize_input, mac,
  };
}

/** One vector per line, so diffs and the C parser stay simple. */
export function formatVectors(v: unknown): string {
  const o = v as Record<string, unknown>;
  const parts = Object.entries(o).map(([k, val]) => Array.isArray(val)
    ? `  ${JSON.stringify(k)}: [\n${val.map((e) => `    ${JSON.stringify(e)}`).join(',\n')}\n  ]`
    : `  ${JSON.stringify(k)}: ${JSON.stringify(val)}`);
  return `{\n${parts.join(',\n')}\n}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  process.stdout.write(formatVectors(makeVectors()));
}
