// One `inas board --virtual` process shared by the device CLI tests (flash, monitor, profile): a real pty served by
// the CLI, with proto_device (firmware/proto/test) as the board program and a checkpoint every 2 layers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { flashDump } from '../../src/device/index.ts';
import { buildProtoProgram, tempDir, writeProtoDump } from '../device/helpers.ts';

export const INAS = path.resolve('scripts/inas.mjs');

let started: Promise<{ port: string; dump: string; child: ChildProcess }> | null = null;

// Root-level hook: stop the shared board after all tests (its pipes would keep mocha alive).
after(async () => {
  if (started === null) return;
  const b = await started.catch(() => null);
  b?.child.kill('SIGTERM');
});

/** Starts the shared board once; resolves with its port (the first line it prints) and a dump folder for it. */
export function sharedBoard(): Promise<{ port: string; dump: string; child: ChildProcess }> {
  started ??= new Promise((resolve, reject) => {
    const dump = tempDir('cli-dump');
    writeProtoDump(dump, { imageBytes: 1500, predictedLatencyS: 0.01 });
    const child = spawn(process.execPath, [INAS, 'board', '--virtual', '--program', buildProtoProgram('proto_device'),
      '--program-arg=--fail-every-layers', '--program-arg=2', '--off-time', '0.05', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    process.on('exit', () => child.kill('SIGKILL'));
    let out = '', err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let gotPort = false;
    child.stdout.on('data', (d: Buffer) => {
      if (gotPort) return;
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      gotPort = true;
      const port = out.slice(0, nl);
      // Load the model in-process (fast), so each CLI test needs one inas process only.
      flashDump(dump, { port }).then((f) => (f.ok ? resolve({ port, dump, child }) : reject(new Error(JSON.stringify(f.issues)))), reject);
    });
    child.on('exit', (code) => reject(new Error(`inas board exited (${code}) before printing its port: ${err}`)));
  });
  return started;
}

/** Runs `inas <args>` to completion. */
export function inas(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [INAS, ...args], { encoding: 'utf8', timeout: 110000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
