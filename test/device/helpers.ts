// Test helpers for the device tests: compile the protocol's C programs once per source version (real gcc).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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
