#!/usr/bin/env node
// The test command: type-check the whole project, then run mocha (its reporter prints "N passed, N failed").
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);

const tsc = spawnSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.log('type-check failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const mocha = spawnSync(bin('mocha'), args, { cwd: root, stdio: 'inherit' });
process.exit(mocha.status ?? 1);
