/**
 * `inas board --virtual`: builds the serial host firmware of a dump (firmware/Makefile target `board`, which links
 * the runtime, the host HAL and firmware/proto) unless a board program is given, and serves it on a pty.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import { writeVirtualMarker } from './board.ts';
import { startVirtualBoard, type VirtualBoard } from './virtual_board.ts';

const FIRMWARE_DIR = fileURLToPath(new URL('../../firmware', import.meta.url));

/** Exit status of the serial host firmware (and of proto_device) that means "power failure". */
export const POWER_FAIL_EXIT = 3;

/** Builds `<dump>/build/board/inas_board` with make (firmware/Makefile `board`). */
export async function buildBoardProgram(dumpDir: string): Promise<Result<string>> {
  const buildDir = path.resolve(dumpDir, 'build', 'board');
  const exe = path.join(buildDir, 'inas_board');
  const r = await new Promise<{ code: number | null; out: string; err?: string }>((resolve) => {
    const p = spawn('make', ['-s', '-C', FIRMWARE_DIR, 'board', `DUMP=${path.resolve(dumpDir)}`, `BUILD=${buildDir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', (e) => resolve({ code: null, out, err: e.message }));
    p.on('close', (code) => resolve({ code, out }));
  });
  if (r.err !== undefined) return fail(issue('toolchain_missing', 'make', `cannot run make (${r.err}); install make and gcc`));
  if (r.code !== 0 || !existsSync(exe)) {
    return fail(issue('build_failed', dumpDir, `building the virtual board firmware failed:\n${r.out.trim().split('\n').slice(-15).join('\n')}`));
  }
  return ok(exe);
}

export interface ServeOptions {
  /**
   * Run this program as the board instead of building the host firmware. It must speak the protocol on
   * stdin/stdout and take `--nvm FILE` (given first, before `programArgs`); exit status 3 = power failure.
   */
  readonly program?: string;
  readonly programArgs?: readonly string[];
  /** NVM file of the board (default: a fresh one in a temporary folder). */
  readonly nvm?: string;
  /** Seconds off after each power failure (already scaled). */
  readonly offTimeS: number;
  /** Host seconds per simulated second (recorded for `profile`, which unscales measured recharge times). @default 1 */
  readonly timeScale?: number;
  /** Extra arguments for the host firmware (e.g. its power-failure mode). */
  readonly firmwareArgs?: readonly string[];
  readonly flipRate?: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

/** Starts a virtual board for a dump folder. */
export async function serveVirtualBoard(dumpDir: string | null, opts: ServeOptions): Promise<Result<VirtualBoard>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'inas-board-'));
  const nvm = opts.nvm ?? path.join(dir, 'nvm.bin');
  let command: string;
  let args: string[];
  if (opts.program !== undefined) {
    command = path.resolve(opts.program);
    if (!existsSync(command)) return fail(issue('file_not_found', command, `board program ${command} does not exist`));
    args = ['--nvm', nvm, ...(opts.programArgs ?? [])];
  } else {
    if (dumpDir === null) return fail(issue('invalid_argument', '--virtual', 'give a dump folder (inas dump output) or --program'));
    const built = await buildBoardProgram(dumpDir);
    if (!built.ok) return built;
    command = built.value;
    args = ['--nvm', nvm, ...(opts.firmwareArgs ?? [])];
  }
  const board = await startVirtualBoard({
    command, args, dir, powerFailExitCode: POWER_FAIL_EXIT, offTimeS: opts.offTimeS,
    ...(opts.flipRate === undefined ? {} : { flipRate: opts.flipRate }),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.log === undefined ? {} : { log: opts.log }),
  });
  if (!board.ok) return board;
  writeVirtualMarker(board.value.port, { kind: 'inas-virtual-board', pid: process.pid, program: command, dump_dir: dumpDir === null ? null : path.resolve(dumpDir), time_scale: opts.timeScale ?? 1 });
  return board;
}
