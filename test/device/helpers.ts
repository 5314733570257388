// Test helpers for the device tests: compile the protocol's C programs once per source version (real gcc).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from '../../src/device/index.ts';

export const PROTO_DIR = path.resolve('firmware/proto');
export const C_FLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-O1'];

/** Compiles firmware/proto/test/<name>.c with inas_proto.c; cached by a hash of the sources. */
export function buildProtoProgram(name: 'proto_device' | 'proto_selftest'): string {
  const sources = [path.join(PROTO_DIR, 'test', `${name}.c`), path.join(PROTO_DIR, 'inas_proto.c')];
  const hash = createHash('sha256');
  for (const f of [...sources, path.join(PROTO_DIR, 'inas_proto.h'), path.join(PROTO_DIR, 'inas_proto_gen.h')]) hash.update(readFileSync(f));
  const dir = path.join(tmpdir(), 'inas-device-test');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${name}-${hash.digest('hex').slice(0, 12)}`);
  if (!existsSync(out)) {
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync('gcc', [...C_FLAGS, '-o', tmp, ...sources], { stdio: 'pipe' });
    renameSync(tmp, out);
  }
  return out;
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `inas-${prefix}-`));
}


/**
 * Writes a dump folder for proto_device: manifest.json, weights.bin (a deterministic image) and golden.bin holding
 * proto_device's checksum network computed independently here (logit l = low 15 bits of the CRC-32 of slice l).
 */
export function writeProtoDump(dir: string, opts: { imageBytes: number; layers?: number; digest?: string; predictedLatencyS?: number }): { image: Uint8Array; logits: number[]; cls: number } {
  const layers = opts.layers ?? 4;
  const image = Uint8Array.from({ length: opts.imageBytes }, (_, i) => (i * 131 + (i >> 8) * 7 + 3) & 0xff);
  const logits: number[] = [];
  for (let l = 0; l < layers; l++) {
    const lo = Math.floor((opts.imageBytes * l) / layers), hi = Math.floor((opts.imageBytes * (l + 1)) / layers);
    logits.push(crc32(image.subarray(lo, hi)) & 0x7fff);
  }
  const cls = logits.indexOf(Math.max(...logits));
  const count = 4;
  const rec = 2 * 1 + 2 * layers + 4;
  const golden = Buffer.alloc(20 + count * rec);
  golden.write('INASGLD1', 0, 'latin1');
  golden.writeUInt32LE(count, 8);
  golden.writeUInt32LE(1, 12);
  golden.writeUInt32LE(layers, 16);
  for (let i = 0; i < count; i++) {
    const o = 20 + i * rec;
    golden.writeInt16LE(i, o);
    logits.forEach((v, k) => golden.writeInt16LE(v, o + 2 + 2 * k));
    golden.writeUInt16LE(cls, o + 2 + 2 * layers);
  }
  const per = opts.predictedLatencyS ?? 0.001;
  const manifest = {
    schema_version: 1, kind: 'inas-dump', inas_version: '0.1.0', settings_digest: opts.digest ?? '0'.repeat(64),
    layers: Array.from({ length: layers }, (_, l) => ({ name: `layer${l}`, type: 'CONV', design: '1_1_1_1_reuse_O_S1', predicted: { latency_s: per, power_cycles: 1, energy_per_cycle_j: null } })),
    predicted: { latency_s: per * layers, energy_j: null, power_cycles: layers },
    weights: { file: 'weights.bin', size_bytes: image.length, crc32: crc32(image) },
    golden: { file: 'golden.bin', count, input_elems: 1, classes: layers, classes_expected: Array(count).fill(cls), labels: null, format: 'INASGLD1' },
  };
  writeFileSync(path.join(dir, 'weights.bin'), image);
  writeFileSync(path.join(dir, 'golden.bin'), golden);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { image, logits, cls };
}
