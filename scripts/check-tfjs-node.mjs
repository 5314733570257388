#!/usr/bin/env node
// Checks an offline tfjs-node build (scripts/build-tfjs-node.sh): loads it from $INAS_NATIVE_DIR (default
// <repo>/.native), asserts tf.getBackend() === 'tensorflow', and compares a convolution's filter gradient with the
// pure-JS cpu backend. Exit 0 when it works, 1 otherwise.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.INAS_NATIVE_DIR ? path.resolve(process.env.INAS_NATIVE_DIR) : path.join(repo, '.native');
const require = createRequire(path.join(repo, 'package.json'));
const tf = require('@tensorflow/tfjs');
try {
  require(path.join(dir, 'node_modules', '@tensorflow', 'tfjs-node'));
} catch (e) {
  console.error(`check-tfjs-node: cannot load tfjs-node from ${dir}: ${e.message.split('\n')[0]}`);
  process.exit(1);
}
await tf.setBackend('tensorflow');
if (tf.getBackend() !== 'tensorflow') {
  console.error(`check-tfjs-node: expected the tensorflow backend, tfjs runs on ${tf.getBackend()}`);
  process.exit(1);
}
const x = tf.tensor4d(Array.from({ length: 2 * 6 * 6 * 3 }, (_, i) => Math.sin(i)), [2, 6, 6, 3]);
const w = tf.tensor4d(Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i)), [3, 3, 3, 4]);
const grad = () => tf.grad((f) => tf.conv2d(x, f, 1, 'valid').square().sum())(w).arraySync().flat(3);
const native = grad();
await tf.setBackend('cpu');
const ref = grad();
const err = Math.max(...native.map((v, i) => Math.abs(v - ref[i]))) / Math.max(...ref.map(Math.abs));
if (!(err < 1e-5)) {
  console.error(`check-tfjs-node: native conv gradient differs from cpu (relative error ${err})`);
  process.exit(1);
}
console.log(`check-tfjs-node: ok (tensorflow backend, conv gradient matches cpu to ${err.toExponential(1)})`);
